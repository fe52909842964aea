package dev.chaperone.plugins.awssigv4;

import java.util.Objects;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4CanonicalRequest;

import dev.chaperone.spi.Headers;

/**
 * The headers a SigV4 signature adds to a request. {@link #toString()} shows what was signed, never the
 * session token.
 */
final class SigV4Signature {

    static final String AUTHORIZATION = "Authorization";
    static final String X_AMZ_DATE = "X-Amz-Date";
    static final String X_AMZ_SECURITY_TOKEN = "X-Amz-Security-Token";
    static final String X_AMZ_CONTENT_SHA256 = "X-Amz-Content-Sha256";

    private final String authorization;
    private final String amzDate;
    private final String contentSha256;
    private final String securityToken;
    private final SdkHttpRequest signedView;
    private final UriRules uriRules;

    SigV4Signature(SdkHttpRequest signedView, UriRules uriRules) {
        this.signedView = signedView;
        this.uriRules = uriRules;
        this.authorization = required(signedView, AUTHORIZATION);
        this.amzDate = required(signedView, X_AMZ_DATE);
        this.contentSha256 = required(signedView, X_AMZ_CONTENT_SHA256);
        this.securityToken = signedView.firstMatchingHeader(X_AMZ_SECURITY_TOKEN).orElse(null);
    }

    private static String required(SdkHttpRequest request, String name) {
        return request.firstMatchingHeader(name)
                .orElseThrow(() -> new IllegalStateException("the signer did not set " + name));
    }

    /** Replaces the signature headers of {@code headers} with this signature's. */
    void applyTo(Headers headers) {
        headers.set(AUTHORIZATION, authorization);
        headers.set(X_AMZ_DATE, amzDate);
        headers.set(X_AMZ_CONTENT_SHA256, contentSha256);
        if (securityToken != null) {
            headers.set(X_AMZ_SECURITY_TOKEN, securityToken);
        } else {
            headers.remove(X_AMZ_SECURITY_TOKEN);
        }
    }

    String authorization() {
        return authorization;
    }

    String amzDate() {
        return amzDate;
    }

    String contentSha256() {
        return contentSha256;
    }

    /** The signature itself, the hex digits after {@code Signature=}. */
    String signature() {
        return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
    }

    /** The signed header names, as in {@code SignedHeaders=}. */
    String signedHeaders() {
        int start = authorization.indexOf("SignedHeaders=") + "SignedHeaders=".length();
        return authorization.substring(start, authorization.indexOf(',', start));
    }

    /**
     * The canonical request this signature was computed over, rebuilt with the signer's own canonicaliser from
     * the request it signed. For tests and diagnosis: it contains the session token.
     */
    String canonicalRequest() {
        SdkHttpRequest unsigned = signedView.toBuilder().removeHeader(AUTHORIZATION).build();
        return new V4CanonicalRequest(unsigned, contentSha256,
                new V4CanonicalRequest.Options(uriRules.doubleUrlEncode(), uriRules.normalizePath()))
                .getCanonicalRequestString();
    }

    @Override
    public String toString() {
        return "SigV4Signature[SignedHeaders=" + signedHeaders() + ", payload=" + contentSha256
                + (securityToken == null ? "" : ", with session token") + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigV4Signature that && authorization.equals(that.authorization)
                && Objects.equals(securityToken, that.securityToken);
    }

    @Override
    public int hashCode() {
        return authorization.hashCode();
    }
}
