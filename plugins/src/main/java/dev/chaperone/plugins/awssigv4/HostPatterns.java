package dev.chaperone.plugins.awssigv4;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.HostNames;

/**
 * The hosts whose requests the filter signs: exact hosts and leading-wildcard patterns ({@code *.amazonaws.com}
 * matches one or more labels below {@code amazonaws.com}, never {@code amazonaws.com} itself).
 */
// TODO(#3): replace with the shared host matcher of dev.chaperone.plugins.matching once it is available.
final class HostPatterns {

    private final List<String> patterns;
    private final Set<String> exact = new HashSet<>();
    private final List<String> suffixes = new ArrayList<>();

    private HostPatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /**
     * Parses patterns as an operator wrote them.
     *
     * @throws ConfigException naming {@code field[i]} when a pattern is not a valid host or wildcard
     */
    static HostPatterns parse(List<String> patterns, String field) {
        HostPatterns parsed = new HostPatterns(patterns);
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            String where = field + "[" + i + "]";
            if (pattern == null || pattern.isBlank()) {
                throw new ConfigException(where, "a host pattern cannot be empty");
            }
            boolean wildcard = pattern.startsWith("*.");
            String host = wildcard ? pattern.substring(2) : pattern;
            if (host.contains("*")) {
                throw new ConfigException(where, "'" + pattern + "': only a leading '*.' wildcard is supported");
            }
            String canonical;
            try {
                canonical = HostNames.normalize(host);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where, "'" + pattern + "' is not a valid host: " + e.getMessage());
            }
            if (wildcard) {
                if (HostNames.isIpLiteral(canonical)) {
                    throw new ConfigException(where, "'" + pattern + "': a wildcard cannot stand before an IP address");
                }
                parsed.suffixes.add("." + canonical);
            } else {
                parsed.exact.add(canonical);
            }
        }
        return parsed;
    }

    /** Whether a canonical host (see {@link HostNames#normalize}) is covered by one of the patterns. */
    boolean matches(String canonicalHost) {
        if (exact.contains(canonicalHost)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (canonicalHost.endsWith(suffix) && canonicalHost.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }

    /** The patterns as configured. */
    List<String> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
