package dev.chaperone.plugins.testing;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import dev.chaperone.spi.FilterContext;

/** The context a server gives a factory: an instance id, no settings, and a clock the test controls. */
public final class FakeFilterContext implements FilterContext {

    private final String instanceId;
    private final Clock clock;

    public FakeFilterContext(String instanceId, Clock clock) {
        this.instanceId = instanceId;
        this.clock = clock;
    }

    public FakeFilterContext(String instanceId) {
        this(instanceId, new MutableClock());
    }

    public FakeFilterContext() {
        this("sandbox-1");
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public int chainIndex() {
        return 0;
    }

    @Override
    public Optional<String> setting(String key) {
        return Optional.empty();
    }

    @Override
    public Map<String, String> settings() {
        return Map.of();
    }

    @Override
    public Clock clock() {
        return clock;
    }
}
