/**
 * The {@code rate-limit} filter: token buckets per instance or per instance and host, and a cap on requests
 * in flight, kept in a {@link dev.chaperone.plugins.ratelimit.RateLimitStore}.
 */
package dev.chaperone.plugins.ratelimit;
