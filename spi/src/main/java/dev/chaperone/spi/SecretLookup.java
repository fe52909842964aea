package dev.chaperone.spi;

import java.util.Optional;

/**
 * Read access to one instance's secrets, for filters that add credentials to requests.
 *
 * <p>Values are decrypted on demand and must never be logged, put in an answer to the client, or kept
 * beyond the request that looked them up.
 */
@FunctionalInterface
public interface SecretLookup {

    /** The current value of the named secret, or empty when the instance has no secret of that name. */
    Optional<String> get(String name);
}
