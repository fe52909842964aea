package dev.chaperone.spi.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.chaperone.spi.SecretLookup;

/**
 * An instance's secrets for tests, which can change between requests as real ones do and remember which names
 * were looked up, so that a test can check a filter asks for no more than it needs.
 */
public final class FakeSecrets implements SecretLookup {

    private final Map<String, String> values = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();

    /** Sets the value of a secret. */
    public FakeSecrets put(String name, String value) {
        values.put(name, value);
        return this;
    }

    /** Removes a secret, as when an operator deletes it. */
    public FakeSecrets remove(String name) {
        values.remove(name);
        return this;
    }

    @Override
    public Optional<String> get(String name) {
        lookups.add(name);
        return Optional.ofNullable(values.get(name));
    }

    /** The names looked up so far, in order, repeats included. */
    public List<String> lookups() {
        return Collections.unmodifiableList(lookups);
    }
}
