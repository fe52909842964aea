package dev.chaperone.plugins.ratelimit;

import java.time.Clock;
import java.time.Duration;

import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;

/**
 * Answers 429 when its instance (or instance and host) is over its token bucket or its cap on requests in
 * flight, so the upstream sees nothing of the excess. Never allows a request by itself.
 */
final class RateLimitFilter implements Filter {

    static final String RATE_LIMITED = "rate_limited";
    static final String TOO_MANY_REQUESTS = "too_many_requests";
    static final String TOO_MANY_CONCURRENT = "too_many_concurrent_requests";

    private final RateLimitConfig config;
    private final String instanceId;
    private final Clock clock;
    private final RateLimitStore store;
    private final String permitAttribute;

    RateLimitFilter(RateLimitConfig config, String instanceId, Clock clock, RateLimitStore store, long serial) {
        this.config = config;
        this.instanceId = instanceId;
        this.clock = clock;
        this.store = store;
        this.permitAttribute = RateLimitFilter.class.getName() + ".permit." + serial;
    }

    @Override
    public Decision onRequest(FilterRequest request) {
        String permitKey = null;
        if (config.maxConcurrent() != null) {
            permitKey = "concurrent/" + instanceId;
            if (!store.tryAcquire(permitKey, config.maxConcurrent())) {
                return tooMany(TOO_MANY_CONCURRENT, "more than " + config.maxConcurrent() + " requests in flight", 1);
            }
        }

        RateLimitStore.Admission admission = store.take(bucketKey(request), config.requestsPerSecond(),
                config.burst(), clock.instant());
        if (!admission.admitted()) {
            if (permitKey != null) {
                store.release(permitKey);
            }
            return tooMany(TOO_MANY_REQUESTS, "over " + config.requestsPerSecond() + " requests per second",
                    retryAfterSeconds(admission.retryAfter()));
        }
        if (permitKey != null) {
            request.setAttribute(permitAttribute, new Permit(permitKey));
        }
        return Decision.proceed();
    }

    @Override
    public void onComplete(FilterRequest request, int status) {
        if (request.attribute(permitAttribute) instanceof Permit permit) {
            request.setAttribute(permitAttribute, null);
            store.release(permit.key());
        }
    }

    private String bucketKey(FilterRequest request) {
        return RateLimitConfig.PER_HOST.equals(config.per())
                ? "host/" + instanceId + "/" + request.host()
                : "instance/" + instanceId;
    }

    private static Decision tooMany(String reason, String detail, long retryAfterSeconds) {
        return Decision.respond(429, RATE_LIMITED, reason, detail)
                .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    /** Whole seconds, rounded up and at least 1, as {@code Retry-After} wants them. */
    static long retryAfterSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** A concurrency permit held by a request until it completes. */
    private record Permit(String key) {
    }

    @Override
    public String toString() {
        return "rate-limit" + config;
    }
}
