package dev.chaperone.plugins.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the rate-limit filter keeps its token buckets and concurrency counts, by key. The in-process
 * {@link InProcessRateLimitStore} serves one proxy; a fleet of proxies can share limits through an
 * implementation backed by a shared engine (Redis) without any change to the filter or its config.
 *
 * <p>Implementations are thread-safe and must not block for long: they are called on request threads.
 */
public interface RateLimitStore {

    /**
     * Takes one token from the bucket {@code key}, which holds at most {@code burst} tokens and gains
     * {@code tokensPerSecond}. A bucket seen for the first time is full. The limits are given with every call,
     * so that a changed config applies to the existing bucket rather than starting a new one.
     *
     * @param now the current time, from the filter's clock
     * @return whether a token was taken, and if not how long until one will be there
     */
    Admission take(String key, double tokensPerSecond, int burst, Instant now);

    /** Takes one of at most {@code max} permits of {@code key}; {@code false} when all are taken. */
    boolean tryAcquire(String key, int max);

    /** Gives back a permit of {@code key} taken by {@link #tryAcquire}. */
    void release(String key);

    /**
     * The answer of {@link #take}.
     *
     * @param admitted whether a token was taken
     * @param retryAfter how long until a token will be there; zero when one was taken
     */
    record Admission(boolean admitted, Duration retryAfter) {

        private static final Admission ADMITTED = new Admission(true, Duration.ZERO);

        public static Admission granted() {
            return ADMITTED;
        }

        public static Admission refused(Duration retryAfter) {
            return new Admission(false, retryAfter);
        }
    }
}
