package dev.chaperone.plugins.awssigv4;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import dev.chaperone.spi.FilterContext;

/** A filter context with no plugin settings and a clock of the test's choosing. */
record FakeFilterContext(Clock clock) implements FilterContext {

    @Override
    public String instanceId() {
        return "sandbox-1";
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
}
