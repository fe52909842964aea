package dev.chaperone.spi.testing;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.chaperone.spi.FilterContext;

/**
 * The context the server gives a {@link dev.chaperone.spi.FilterFactory}, built by hand for tests: an instance
 * id, the plugin's global settings and a clock the test controls.
 *
 * <p>Unless changed, the instance is {@code sandbox-1}, the entry is the first of its chain, there are no
 * settings, and the clock is a {@link MutableClock} standing at its start.
 */
public final class FakeFilterContext implements FilterContext {

    private final String instanceId;
    private final Clock clock;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private int chainIndex;

    /** A context for instance {@code sandbox-1} with a {@link MutableClock}. */
    public FakeFilterContext() {
        this("sandbox-1");
    }

    /** A context for instance {@code sandbox-1} with the given clock. */
    public FakeFilterContext(Clock clock) {
        this("sandbox-1", clock);
    }

    /** A context for the given instance with a {@link MutableClock}. */
    public FakeFilterContext(String instanceId) {
        this(instanceId, new MutableClock());
    }

    /** A context for the given instance with the given clock. */
    public FakeFilterContext(String instanceId, Clock clock) {
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a global plugin setting, keyed as in {@link #setting} (without the {@code chaperone.plugin.} prefix). */
    public FakeFilterContext withSetting(String key, String value) {
        settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Places the filter's entry at another position of its chain. */
    public FakeFilterContext withChainIndex(int chainIndex) {
        if (chainIndex < 0) {
            throw new IllegalArgumentException("a chain index cannot be negative: " + chainIndex);
        }
        this.chainIndex = chainIndex;
        return this;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public int chainIndex() {
        return chainIndex;
    }

    @Override
    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    @Override
    public Map<String, String> settings() {
        return Collections.unmodifiableMap(settings);
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
