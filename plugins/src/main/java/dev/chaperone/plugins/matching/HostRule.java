package dev.chaperone.plugins.matching;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import dev.chaperone.spi.HttpPaths;

/**
 * One rule of a host-matching filter: a host pattern, and optionally the ports, methods and path prefixes
 * it is limited to. Empty sets mean "any". Immutable.
 *
 * <p>{@link #source()} is the rule as the operator wrote it, which decisions name so that the audit log
 * and the client's answer say which rule decided.
 */
public final class HostRule {

    private final String source;
    private final HostPattern pattern;
    private final Set<Integer> ports;
    private final Set<String> methods;
    private final List<String> pathPrefixes;

    /**
     * @param source the rule as written, shown in decisions
     * @param pattern the host it applies to
     * @param ports the ports it is limited to (also holding the pattern's own port, if any); empty for any
     * @param methods upper-case methods it is limited to; empty for any
     * @param pathPrefixes normalised path prefixes (see {@link HttpPaths#normalize}); empty for any
     */
    public HostRule(String source, HostPattern pattern, Set<Integer> ports, Set<String> methods,
            List<String> pathPrefixes) {
        this.source = Objects.requireNonNull(source, "source");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.ports = Set.copyOf(ports);
        this.methods = Set.copyOf(methods);
        this.pathPrefixes = List.copyOf(pathPrefixes);
    }

    /** A rule that is only a host pattern, named by the pattern as written. */
    public static HostRule ofHost(String text) {
        HostPattern pattern = HostPattern.parse(text);
        Set<Integer> ports = pattern.port().isPresent() ? Set.of(pattern.port().getAsInt()) : Set.of();
        return new HostRule(text, pattern, ports, Set.of(), List.of());
    }

    public String source() {
        return source;
    }

    public HostPattern pattern() {
        return pattern;
    }

    /** Whether the rule says nothing about methods and paths, so it decides for a whole host at once. */
    public boolean isHostOnly() {
        return methods.isEmpty() && pathPrefixes.isEmpty();
    }

    public boolean matchesPort(int port) {
        return ports.isEmpty() || ports.contains(port);
    }

    /** Whether the method (upper case, as requests give it) is one the rule covers. */
    public boolean matchesMethod(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** Whether the normalised path lies under one of the rule's prefixes, segment by segment. */
    public boolean matchesPath(String path) {
        if (pathPrefixes.isEmpty()) {
            return true;
        }
        for (String prefix : pathPrefixes) {
            if (HttpPaths.hasPrefix(path, prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the normalised path lies under one of the rule's prefixes as a lenient upstream could read it:
     * without regard to case, with {@code ;parameters} dropped, {@code %2F} and {@code %5C} read as
     * {@code /} and repeated slashes merged. A refusal rule matches on this so that such spellings cannot
     * slip past it; an allowing rule must not, because it would then allow more than it says.
     */
    public boolean matchesPathLeniently(String path) {
        if (pathPrefixes.isEmpty() || matchesPath(path)) {
            return true;
        }
        String lenient = lenient(path);
        for (String prefix : pathPrefixes) {
            if (HttpPaths.hasPrefix(lenient, lenient(prefix))) {
                return true;
            }
        }
        return false;
    }

    static String lenient(String path) {
        String slashes = path.toLowerCase(Locale.ROOT).replace("%2f", "/").replace("%5c", "/");
        StringBuilder out = new StringBuilder(slashes.length());
        for (String segment : slashes.split("/", -1)) {
            int semicolon = segment.indexOf(';');
            String name = semicolon >= 0 ? segment.substring(0, semicolon) : segment;
            if (name.isEmpty() && out.length() > 0 && out.charAt(out.length() - 1) == '/') {
                continue;
            }
            if (out.length() == 0 || out.charAt(out.length() - 1) != '/') {
                out.append('/');
            }
            out.append(name);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
