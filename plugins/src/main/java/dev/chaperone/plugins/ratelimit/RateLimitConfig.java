package dev.chaperone.plugins.ratelimit;

import dev.chaperone.spi.ConfigException;

/**
 * The configuration of the {@code rate-limit} filter: a token bucket of {@code burst} tokens refilled at
 * {@code requestsPerSecond}, one bucket per instance or per instance and host, and optionally a cap on the
 * requests of an instance in flight at once.
 *
 * @param requestsPerSecond the sustained rate, above 0 and at most 1,000,000
 * @param burst how many requests may arrive at once after a quiet spell; by default the rate rounded up
 * @param per {@code "instance"} (the default) for one bucket per instance, {@code "host"} for one per
 *     instance and host
 * @param maxConcurrent the most requests of the instance in flight at once, or {@code null} for no cap
 */
public record RateLimitConfig(Double requestsPerSecond, Integer burst, String per, Integer maxConcurrent) {

    /** The value of {@link #per()} for one bucket per instance. */
    public static final String PER_INSTANCE = "instance";
    /** The value of {@link #per()} for one bucket per instance and host. */
    public static final String PER_HOST = "host";

    private static final double MAX_RATE = 1_000_000;
    private static final int MAX_BURST = 1_000_000_000;

    public RateLimitConfig {
        if (requestsPerSecond == null) {
            throw new ConfigException("requestsPerSecond", "requestsPerSecond is required");
        }
        if (!(requestsPerSecond > 0) || requestsPerSecond > MAX_RATE) {
            throw new ConfigException("requestsPerSecond",
                    "requestsPerSecond must be above 0 and at most 1000000, not " + requestsPerSecond);
        }
        if (burst == null) {
            burst = (int) Math.ceil(requestsPerSecond);
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new ConfigException("burst", "burst must be from 1 to 1000000000, not " + burst);
        }
        if (per == null) {
            per = PER_INSTANCE;
        }
        if (!per.equals(PER_INSTANCE) && !per.equals(PER_HOST)) {
            throw new ConfigException("per", "per must be \"instance\" or \"host\"");
        }
        if (maxConcurrent != null && maxConcurrent < 1) {
            throw new ConfigException("maxConcurrent", "maxConcurrent must be at least 1, not " + maxConcurrent);
        }
    }

    /** A limit of one bucket per instance, without a concurrency cap. */
    public static RateLimitConfig perInstance(double requestsPerSecond, int burst) {
        return new RateLimitConfig(requestsPerSecond, burst, PER_INSTANCE, null);
    }
}
