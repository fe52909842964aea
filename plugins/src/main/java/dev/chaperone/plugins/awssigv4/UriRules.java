package dev.chaperone.plugins.awssigv4;

/**
 * How the path enters the canonical request. Every service but S3 encodes the path of the request a second
 * time and removes dot segments; S3 takes the path exactly as it is sent, as AWS SDKs and s3proxy do.
 *
 * @param doubleUrlEncode whether the percent-encoded path is encoded again
 * @param normalizePath whether dot segments and repeated slashes are resolved first
 */
record UriRules(boolean doubleUrlEncode, boolean normalizePath) {

    static final UriRules S3 = new UriRules(false, false);
    static final UriRules DEFAULT = new UriRules(true, true);

    static UriRules of(SigningScope scope) {
        return scope.isS3() ? S3 : DEFAULT;
    }
}
