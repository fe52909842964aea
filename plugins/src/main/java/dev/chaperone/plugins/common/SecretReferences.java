package dev.chaperone.plugins.common;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.SecretLookup;
import dev.chaperone.spi.SecretTemplate;

/**
 * The {@code ${secret:NAME}} references of the built-in plugins' configs: parsing them without ever echoing a
 * configured value, and refusing a request, naming only the secret, when its instance lacks one.
 */
public final class SecretReferences {

    /** The reason code of a request refused because a secret it needs is not set. */
    public static final String SECRET_MISSING = "secret_missing";

    private SecretReferences() {
    }

    /**
     * Parses a configured value that may refer to secrets.
     *
     * @throws ConfigException naming {@code field} when a reference is malformed; the message does not quote
     *     the value, which may hold a credential
     */
    public static SecretTemplate parse(String field, String value) {
        try {
            return SecretTemplate.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field, "the value has a malformed ${secret:NAME} reference "
                    + "(names are 1 to 128 of A-Z a-z 0-9 . _ -)");
        }
    }

    /** The names of the secrets the templates refer to, in order of first use. */
    public static Set<String> names(Collection<SecretTemplate> templates) {
        Set<String> names = new LinkedHashSet<>();
        templates.forEach(template -> names.addAll(template.secretNames()));
        return Collections.unmodifiableSet(names);
    }

    /** The first of {@code names} that the instance has no secret for, if any. */
    public static Optional<String> firstMissing(Collection<String> names, SecretLookup secrets) {
        return names.stream().filter(name -> secrets.get(name).isEmpty()).findFirst();
    }

    /** The answer to a request that needs the secret {@code name}, which its instance does not have. */
    public static Decision missing(String name) {
        return Decision.respond(403, Decision.EGRESS_DENIED, SECRET_MISSING,
                "the secret '" + name + "' that this request needs is not set for the instance");
    }
}
