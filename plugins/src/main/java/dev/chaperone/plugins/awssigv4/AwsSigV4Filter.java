package dev.chaperone.plugins.awssigv4;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import dev.chaperone.plugins.common.SecretReferences;
import dev.chaperone.plugins.matching.HostMatcher;
import dev.chaperone.plugins.matching.HostRules;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.HostNames;
import dev.chaperone.spi.SecretTemplate;

/**
 * Replaces whatever SigV4 signature a sandbox put on a request to AWS with one made from the instance's real
 * credentials, over the request exactly as the upstream will receive it.
 *
 * <p>The filter never allows a request by itself; an allowlist does that. It signs only headers that reach the
 * upstream unchanged, so it should come after every other filter that changes headers.
 */
final class AwsSigV4Filter implements Filter {

    static final String BAD_REQUEST = "bad_request";
    static final String UNSUPPORTED_REQUEST = "unsupported_request";

    /** Presigned URLs carry someone's signature of their own; they pass only when the config allows them. */
    static final String PRESIGNED_REFUSED = "aws_presigned_url_refused";
    /** aws-chunked uploads whose chunks are signed with the sandbox's (dummy) key, or event streams. */
    static final String SIGNED_STREAMING_REFUSED = "aws_signed_streaming_payload";
    static final String CONTENT_SHA256_INVALID = "aws_content_sha256_invalid";
    static final String QUERY_MALFORMED = "aws_query_malformed";
    static final String PLAINTEXT_REFUSED = "aws_plaintext_refused";
    static final String SCOPE_UNKNOWN = "aws_signing_scope_unknown";

    private static final Logger LOG = LoggerFactory.getLogger(AwsSigV4Filter.class);

    /**
     * Headers never signed: the sandbox's own signature, {@code Host} (signed as the upstream sees it), and
     * headers that a proxy or transport may legitimately drop, add or rewrite on the way (SigV4 requires only
     * {@code host} and the {@code x-amz-*} headers to be signed).
     */
    private static final Set<String> UNSIGNED_HEADERS = Set.of(
            "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "host",
            "content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade",
            "proxy-authorization", "proxy-connection", "expect", "user-agent", "x-amzn-trace-id", "http2-settings");

    private final HostMatcher hosts;
    /** The host patterns as configured, which refusals name as their rule. */
    private final String hostsRule;
    private final SecretTemplate accessKeyId;
    private final SecretTemplate secretAccessKey;
    private final SecretTemplate sessionToken;
    private final Set<String> secretNames;
    private final String fixedRegion;
    private final String fixedService;
    private final long bodyLimit;
    private final boolean allowPresigned;
    private final boolean allowPlaintext;
    private final RequestSigner signer;
    private final Clock clock;

    AwsSigV4Filter(AwsSigV4Config config, RequestSigner signer, Clock clock) {
        Objects.requireNonNull(config, "config");
        this.hosts = HostMatcher.of(HostRules.parseHosts(config.hosts(), "hosts"));
        this.hostsRule = String.join(",", config.hosts());
        this.accessKeyId = SecretReferences.parse("accessKeyId", config.accessKeyId());
        this.secretAccessKey = SecretReferences.parse("secretAccessKey", config.secretAccessKey());
        this.sessionToken = config.sessionToken() == null
                ? null : SecretReferences.parse("sessionToken", config.sessionToken());
        List<SecretTemplate> templates = new ArrayList<>(List.of(accessKeyId, secretAccessKey));
        if (sessionToken != null) {
            templates.add(sessionToken);
        }
        this.secretNames = SecretReferences.names(templates);
        this.fixedRegion = config.region();
        this.fixedService = config.service();
        this.bodyLimit = config.bodyLimit();
        this.allowPresigned = config.allowPresigned();
        this.allowPlaintext = config.allowPlaintext();
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Asks for the body of requests whose payload must be hashed: those to services other than S3. S3 requests
     * keep their declared payload hash and stream.
     */
    @Override
    public long bodyLimit(FilterRequest request) {
        if (!signs(request) || isPresigned(request)) {
            return 0;
        }
        return scopeOf(request).filter(scope -> !scope.isS3()).map(scope -> bodyLimit).orElse(0L);
    }

    @Override
    public Decision onRequest(FilterRequest request) {
        if (!signs(request)) {
            return Decision.proceed();
        }
        if (isPresigned(request)) {
            if (allowPresigned) {
                LOG.debug("aws-sigv4 lets a presigned {} request to {} pass untouched", request.method(),
                        request.host());
                return Decision.proceed();
            }
            return refuse(PRESIGNED_REFUSED, "presigned URLs are not accepted for this host; send the request "
                    + "unsigned or with any signature and the proxy signs it");
        }
        if (!"https".equals(request.scheme()) && !allowPlaintext) {
            return refuse(PLAINTEXT_REFUSED, "AWS requests are only signed over https");
        }
        Optional<SigningScope> scope = scopeOf(request);
        if (scope.isEmpty()) {
            return refuse(SCOPE_UNKNOWN, "the signing region and service cannot be told from the host or the "
                    + "request; set 'region' and 'service' in the aws-sigv4 config");
        }
        Optional<Decision> refusal = refusal(request, scope.get());
        if (refusal.isPresent()) {
            return refusal.get();
        }
        Payload payload = payloadOf(request, scope.get());
        Optional<String> missing = SecretReferences.firstMissing(secretNames, request.secrets());
        if (missing.isPresent()) {
            return SecretReferences.missing(missing.get());
        }
        AwsCredentialsIdentity credentials = credentials(request)
                .orElseThrow(() -> new IllegalStateException("a secret looked up a moment ago is missing"));
        SigV4Signature signature;
        try {
            signature = signer.sign(upstreamRequest(request), payload, credentials, scope.get(),
                    UriRules.of(scope.get()), clock);
        } catch (IllegalArgumentException e) {
            // Only a malformed query or path reaches here; the message never holds a header value.
            return Decision.respond(400, BAD_REQUEST, QUERY_MALFORMED,
                    "the request cannot be signed: " + e.getMessage());
        }
        signature.applyTo(request.headers());
        LOG.debug("aws-sigv4 signed {} {} for {} ({}, payload {})", request.method(), request.host(), scope.get(),
                signature.signedHeaders(), payload);
        return Decision.proceed();
    }

    /** A refusal of a request to a signed host, naming the host patterns as the rule. */
    private Decision refuse(String reason, String detail) {
        return Decision.respond(403, Decision.EGRESS_DENIED, reason, detail).withRule(hostsRule);
    }

    private boolean signs(FilterRequest request) {
        return hosts.find(request.host(), request.port()).isPresent();
    }

    /** The names of the secrets written into headers: all of them, since the signature derives from each. */
    @Override
    public Set<String> headerSecrets() {
        return secretNames;
    }

    private static boolean isPresigned(FilterRequest request) {
        return UriEncoding.hasParameter(request.query(), "X-Amz-Signature")
                || UriEncoding.hasParameter(request.query(), "X-Amz-Credential");
    }

    /**
     * The region and service to sign for: the config's when fixed; otherwise the sandbox's own credential scope,
     * since its SDK knows the signing name of what it calls; otherwise what the host name implies.
     */
    Optional<SigningScope> scopeOf(FilterRequest request) {
        Optional<SigningScope> found = fixedRegion != null && fixedService != null ? Optional.empty()
                : SigningScope.fromAuthorization(request.headers().get("Authorization"))
                        .or(() -> SigningScope.fromHost(request.host()));
        String region = fixedRegion != null ? fixedRegion : found.map(SigningScope::region).orElse(null);
        String service = fixedService != null ? fixedService : found.map(SigningScope::service).orElse(null);
        return region == null || service == null ? Optional.empty() : Optional.of(new SigningScope(region, service));
    }

    /** The answer for a payload that cannot be signed, or empty when it can. */
    private static Optional<Decision> refusal(FilterRequest request, SigningScope scope) {
        String declared = request.headers().get(SigV4Signature.X_AMZ_CONTENT_SHA256);
        if (declared != null && declared.startsWith("STREAMING-")
                && !Payload.STREAMING_UNSIGNED_PAYLOAD_TRAILER.equals(declared)) {
            return Optional.of(Decision.respond(400, UNSUPPORTED_REQUEST, SIGNED_STREAMING_REFUSED,
                    "the body is signed chunk by chunk (" + declared + ") with the sandbox's key and cannot be "
                            + "re-signed; configure the client to send unsigned payloads over https"));
        }
        boolean awsChunked = contentEncodings(request.headers()).contains("aws-chunked");
        if (awsChunked != Payload.STREAMING_UNSIGNED_PAYLOAD_TRAILER.equals(declared)) {
            return Optional.of(Decision.respond(400, BAD_REQUEST, CONTENT_SHA256_INVALID,
                    "Content-Encoding aws-chunked goes with x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER "
                            + "and only with it"));
        }
        if (scope.isS3() && declared != null && !Payload.isDeclarable(declared)) {
            return Optional.of(Decision.respond(400, BAD_REQUEST, CONTENT_SHA256_INVALID,
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER or the "
                            + "lower-case hex SHA-256 of the body"));
        }
        return Optional.empty();
    }

    /**
     * S3 keeps what the sandbox declared ({@code UNSIGNED-PAYLOAD} when nothing), so that uploads stream; every
     * other service gets the hash of the body the server buffered for this filter.
     */
    private static Payload payloadOf(FilterRequest request, SigningScope scope) {
        if (!scope.isS3()) {
            ByteBuffer body = request.body().orElseThrow(() -> new IllegalStateException(
                    "the server did not buffer the body that aws-sigv4 asked for"));
            return Payload.body(body);
        }
        String declared = request.headers().get(SigV4Signature.X_AMZ_CONTENT_SHA256);
        return declared == null ? Payload.unsigned() : Payload.declared(declared);
    }

    private static Set<String> contentEncodings(Headers headers) {
        Set<String> codings = new LinkedHashSet<>();
        for (String value : headers.getAll("Content-Encoding")) {
            for (String coding : value.split(",")) {
                codings.add(coding.trim().toLowerCase(Locale.ROOT));
            }
        }
        return codings;
    }

    private Optional<AwsCredentialsIdentity> credentials(FilterRequest request) {
        Optional<String> keyId = accessKeyId.resolve(request.secrets());
        Optional<String> secret = secretAccessKey.resolve(request.secrets());
        if (keyId.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        if (sessionToken == null) {
            return Optional.of(AwsCredentialsIdentity.create(keyId.get(), secret.get()));
        }
        return sessionToken.resolve(request.secrets())
                .map(token -> AwsSessionCredentialsIdentity.create(keyId.get(), secret.get(), token));
    }

    private static UpstreamRequest upstreamRequest(FilterRequest request) {
        int defaultPort = "https".equals(request.scheme()) ? 443 : 80;
        String authority = HostNames.toAuthorityForm(request.host())
                + (request.port() == defaultPort ? "" : ":" + request.port());
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        Headers all = request.headers();
        for (int i = 0; i < all.size(); i++) {
            String name = all.nameAt(i);
            if (!UNSIGNED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(Map.entry(name, all.valueAt(i)));
            }
        }
        return new UpstreamRequest(request.method(), request.scheme(), request.host(), request.port(), authority,
                request.path(), request.query(), headers);
    }

    @Override
    public String toString() {
        return "aws-sigv4[hosts=" + hostsRule + "]";
    }
}
