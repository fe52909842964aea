package dev.chaperone.plugins.awssigv4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4CanonicalRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs an {@link UpstreamRequest} with SigV4 in the {@code Authorization} header, using the AWS SDK v2 signer.
 * Thread-safe and stateless.
 *
 * <p>The SDK signer takes the payload hash either from a body it reads or from its own constants. A request
 * whose body streams past the proxy but whose client declared the hash (a SHA-256 it computed, or
 * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}) therefore cannot go through it; for those, the canonical request
 * still comes from the SDK's own canonicaliser, and only the final HMAC steps of the SigV4 specification are
 * done here, so that both paths canonicalise requests identically.
 */
final class RequestSigner {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final AwsV4HttpSigner sdkSigner = AwsV4HttpSigner.create();

    /**
     * Signs {@code request}.
     *
     * @throws IllegalArgumentException when the query string holds a broken percent-escape
     */
    SigV4Signature sign(UpstreamRequest request, Payload payload, AwsCredentialsIdentity credentials,
            SigningScope scope, UriRules uriRules, Clock clock) {
        if (payload.declaredHash() != null && !payload.declaredHash().equals(Payload.UNSIGNED_PAYLOAD)) {
            return signWithDeclaredHash(request, payload.declaredHash(), credentials, scope, uriRules, clock);
        }
        SdkHttpRequest view = view(request);
        ByteBuffer body = payload.body();
        SignedRequest signed = sdkSigner.sign(sign -> {
            sign.identity(credentials)
                    .request(view)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, scope.region())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, scope.service())
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, uriRules.doubleUrlEncode())
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, uriRules.normalizePath())
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, body != null)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock);
            if (body != null) {
                sign.payload(ContentStreamProvider.fromByteArrayUnsafe(bytes(body)));
            }
        });
        return new SigV4Signature(signed.request(), uriRules);
    }

    /**
     * Signs with a payload hash given rather than computed, exactly as the SDK signer would have signed with that
     * hash; the tests hold the two paths to the same signatures.
     */
    SigV4Signature signWithDeclaredHash(UpstreamRequest request, String payloadHash,
            AwsCredentialsIdentity credentials, SigningScope scope, UriRules uriRules, Clock clock) {
        SdkHttpRequest view = view(request);
        String amzDate = AMZ_DATE.format(clock.instant());
        String date = amzDate.substring(0, 8);
        SdkHttpRequest.Builder builder = view.toBuilder()
                .putHeader(SigV4Signature.X_AMZ_DATE, amzDate)
                .putHeader(SigV4Signature.X_AMZ_CONTENT_SHA256, payloadHash);
        if (credentials instanceof AwsSessionCredentialsIdentity session) {
            builder.putHeader(SigV4Signature.X_AMZ_SECURITY_TOKEN, session.sessionToken());
        }
        V4CanonicalRequest canonical = new V4CanonicalRequest(builder.build(), payloadHash,
                new V4CanonicalRequest.Options(uriRules.doubleUrlEncode(), uriRules.normalizePath()));
        String credentialScope = date + "/" + scope.region() + "/" + scope.service() + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n"
                + HEX.formatHex(sha256(canonical.getCanonicalRequestString()));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, scope.region());
        key = hmac(key, scope.service());
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, stringToSign));
        builder.putHeader(SigV4Signature.AUTHORIZATION, ALGORITHM + " Credential=" + credentials.accessKeyId() + "/"
                + credentialScope + ", SignedHeaders=" + canonical.getSignedHeadersString()
                + ", Signature=" + signature);
        return new SigV4Signature(builder.build(), uriRules);
    }

    /** The request as the SDK models it: the given headers plus {@code Host}, the query decoded into pairs. */
    private static SdkHttpRequest view(UpstreamRequest request) {
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .protocol(request.scheme())
                .host(request.host())
                .port(request.port())
                .encodedPath(request.path());
        for (Map.Entry<String, String> parameter : UriEncoding.decode(request.query())) {
            builder.appendRawQueryParameter(parameter.getKey(), parameter.getValue());
        }
        builder.putHeader("Host", request.authority());
        for (Map.Entry<String, String> header : request.headers()) {
            builder.appendHeader(header.getKey(), header.getValue());
        }
        return builder.build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
