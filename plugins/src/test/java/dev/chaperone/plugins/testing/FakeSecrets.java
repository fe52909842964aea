package dev.chaperone.plugins.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.chaperone.spi.SecretLookup;

/** An instance's secrets, remembering which names were looked up. */
public final class FakeSecrets implements SecretLookup {

    private final Map<String, String> values = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();

    public FakeSecrets put(String name, String value) {
        values.put(name, value);
        return this;
    }

    public FakeSecrets remove(String name) {
        values.remove(name);
        return this;
    }

    @Override
    public Optional<String> get(String name) {
        lookups.add(name);
        return Optional.ofNullable(values.get(name));
    }

    public List<String> lookups() {
        return lookups;
    }
}
