package dev.chaperone.plugins.ratelimit;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;

/**
 * Makes {@code rate-limit} filters. The factory lives as long as the server and holds the bucket store, so
 * that replacing an instance's chain keeps its buckets and counts.
 */
public final class RateLimitFilterFactory implements FilterFactory<RateLimitConfig> {

    private final RateLimitStore store;
    private final AtomicLong filtersMade = new AtomicLong();

    /** A factory keeping its buckets in this process. */
    public RateLimitFilterFactory() {
        this(new InProcessRateLimitStore());
    }

    /** A factory keeping its buckets in {@code store}, which may be shared by several proxies. */
    public RateLimitFilterFactory(RateLimitStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public Class<RateLimitConfig> configType() {
        return RateLimitConfig.class;
    }

    @Override
    public String description() {
        return "Answers 429 with Retry-After when an instance (or an instance and host) exceeds a token bucket "
                + "of requestsPerSecond and burst, or has more than maxConcurrent requests in flight.";
    }

    @Override
    public Filter create(RateLimitConfig config, FilterContext context) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        return new RateLimitFilter(config, context.instanceId(), context.clock(), store,
                filtersMade.incrementAndGet());
    }
}
