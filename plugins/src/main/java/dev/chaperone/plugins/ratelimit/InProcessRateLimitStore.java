package dev.chaperone.plugins.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Token buckets and permits in this process's memory. Buckets that have refilled completely are forgotten
 * now and then, which loses nothing (a new bucket starts full), so per-host buckets for many hosts do not
 * pile up.
 */
public final class InProcessRateLimitStore implements RateLimitStore {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int SWEEP_ABOVE = 10_000;

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Integer> permits = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    @Override
    public Admission take(String key, double tokensPerSecond, int burst, Instant now) {
        long nanos = toNanos(now);
        Admission[] admission = new Admission[1];
        // Taking inside compute() makes taking and forgetting one bucket atomic, so no token is ever taken
        // from a bucket that is being forgotten.
        buckets.compute(key, (k, bucket) -> {
            Bucket current = bucket == null ? new Bucket(burst, nanos) : bucket;
            admission[0] = current.take(tokensPerSecond, burst, nanos);
            return current;
        });
        if (buckets.size() > SWEEP_ABOVE && nanos - lastSweep > NANOS_PER_SECOND) {
            lastSweep = nanos;
            for (String candidate : buckets.keySet()) {
                buckets.computeIfPresent(candidate, (k, bucket) -> bucket.isFull(nanos) ? null : bucket);
            }
        }
        return admission[0];
    }

    @Override
    public boolean tryAcquire(String key, int max) {
        boolean[] acquired = new boolean[1];
        permits.compute(key, (k, held) -> {
            int count = held == null ? 0 : held;
            acquired[0] = count < max;
            return acquired[0] ? count + 1 : held;
        });
        return acquired[0];
    }

    @Override
    public void release(String key) {
        permits.computeIfPresent(key, (k, held) -> held <= 1 ? null : held - 1);
    }

    /** How many buckets are held; for tests. */
    int bucketCount() {
        return buckets.size();
    }

    /** How many permits of {@code key} are taken; for tests. */
    int permitsTaken(String key) {
        return permits.getOrDefault(key, 0);
    }

    private static long toNanos(Instant instant) {
        return instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano();
    }

    /** One token bucket, used only inside its map entry's compute. Tokens are fractional so slow rates refill. */
    private static final class Bucket {

        private double tokens;
        private long updated;
        private double rate;
        private int capacity;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.updated = now;
            this.capacity = capacity;
        }

        Admission take(double tokensPerSecond, int burst, long now) {
            rate = tokensPerSecond;
            capacity = burst;
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return Admission.granted();
            }
            long wait = (long) Math.ceil((1 - tokens) / rate * NANOS_PER_SECOND);
            return Admission.refused(Duration.ofNanos(Math.max(wait, 1)));
        }

        boolean isFull(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            // A clock that steps back (a corrected wall clock) adds nothing rather than taking tokens away.
            if (now > updated) {
                tokens = Math.min(capacity, tokens + (now - updated) * rate / NANOS_PER_SECOND);
                updated = now;
            }
            tokens = Math.min(tokens, capacity);
        }
    }
}
