package dev.chaperone.plugins.responsescrub;

import java.util.List;

import dev.chaperone.plugins.matching.ConfigValues;
import dev.chaperone.spi.ConfigException;

/**
 * The configuration of the {@code response-scrub} filter.
 *
 * @param secrets the names of the instance secrets to scrub, usually those other filters of the chain inject
 * @param replacement what each occurrence is replaced by; {@code [redacted]} when absent
 */
public record ResponseScrubConfig(List<String> secrets, String replacement) {

    /** The replacement used when the config names none. */
    public static final String DEFAULT_REPLACEMENT = "[redacted]";

    public ResponseScrubConfig {
        secrets = ConfigValues.list(secrets, "secrets");
        if (secrets.isEmpty()) {
            throw new ConfigException("secrets", "name at least one secret to scrub");
        }
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.get(i).isBlank()) {
                throw new ConfigException("secrets[" + i + "]", "must not be blank");
            }
        }
        replacement = replacement == null ? DEFAULT_REPLACEMENT : replacement;
        for (char c : replacement.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                throw new ConfigException("replacement", "must not contain control characters");
            }
        }
    }

    /** A config scrubbing the named secrets with the default replacement. */
    public static ResponseScrubConfig of(String... secrets) {
        return new ResponseScrubConfig(List.of(secrets), null);
    }
}
