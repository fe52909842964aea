/**
 * The {@code aws-sigv4} plugin: a sandbox calls AWS with dummy credentials, and the proxy replaces the SigV4
 * signature of each request with one made from the instance's real credentials.
 *
 * <p>Signing uses the AWS SDK v2 signer ({@code http-auth-aws}). That signer logs the canonical request at
 * DEBUG, which holds the {@code X-Amz-Security-Token} header of session credentials, so the logger
 * {@code software.amazon.awssdk} must stay at INFO or above in production.
 *
 * <p>Nothing in this package is API; it is found through {@link dev.chaperone.spi.FilterFactory}.
 */
package dev.chaperone.plugins.awssigv4;
