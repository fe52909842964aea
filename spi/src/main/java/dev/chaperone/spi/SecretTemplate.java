package dev.chaperone.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured value that may refer to instance secrets as {@code ${secret:NAME}}, such as
 * {@code "Bearer ${secret:stripe}"}. Parsed once when a chain is configured, resolved per request.
 *
 * <p>Secret names are 1 to 128 characters of {@code [A-Za-z0-9._-]}. A literal {@code $} stays as it is
 * unless it starts {@code ${secret:}. {@link #toString()} never shows a resolved value.
 */
public final class SecretTemplate {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{secret:([^}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final String source;
    private final List<String> literals;
    private final List<String> secretNames;

    private SecretTemplate(String source, List<String> literals, List<String> secretNames) {
        this.source = source;
        this.literals = literals;
        this.secretNames = secretNames;
    }

    /**
     * Parses a configured value.
     *
     * @throws IllegalArgumentException when a reference is malformed or names an invalid secret, or an
     *     unterminated {@code ${secret:} is present
     */
    public static SecretTemplate parse(String value) {
        Objects.requireNonNull(value, "value");
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(value);
        int at = 0;
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a valid secret name ([A-Za-z0-9._-]{1,128})");
            }
            literals.add(value.substring(at, matcher.start()));
            names.add(name);
            at = matcher.end();
        }
        String tail = value.substring(at);
        if (tail.contains("${secret:")) {
            throw new IllegalArgumentException("an unterminated ${secret:...} reference");
        }
        literals.add(tail);
        return new SecretTemplate(value, List.copyOf(literals), List.copyOf(names));
    }

    /** The names of the secrets this value refers to, in order of first use. */
    public Set<String> secretNames() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(secretNames));
    }

    /** Whether the value refers to no secret at all. */
    public boolean isLiteral() {
        return secretNames.isEmpty();
    }

    /**
     * The value with every reference replaced, or empty when one of the secrets is missing, so that the
     * caller can fail closed rather than send a request without its credential.
     */
    public Optional<String> resolve(SecretLookup secrets) {
        if (secretNames.isEmpty()) {
            return Optional.of(literals.get(0));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < secretNames.size(); i++) {
            out.append(literals.get(i));
            Optional<String> secret = secrets.get(secretNames.get(i));
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            out.append(secret.get());
        }
        out.append(literals.get(literals.size() - 1));
        return Optional.of(out.toString());
    }

    /** The value as configured, with its references unresolved; safe to log. */
    @Override
    public String toString() {
        return source;
    }
}
