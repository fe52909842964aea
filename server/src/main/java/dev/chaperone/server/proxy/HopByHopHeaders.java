package dev.chaperone.server.proxy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The headers that belong to one connection and are never passed from one leg of an exchange to the next
 * (RFC 9110 section 7.6.1), plus those the proxy handles itself.
 */
final class HopByHopHeaders {

    /** Lower-case names that are always dropped. */
    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings");

    /** The common case, a message without {@code Connection} options, shared instead of built per message. */
    private static final HopByHopHeaders FIXED = new HopByHopHeaders(ignoringCase(ALWAYS));

    /** Compared ignoring case, so that looking a header name up does not lower-case (copy) it first. */
    private final Set<String> dropped;

    private HopByHopHeaders(Set<String> dropped) {
        this.dropped = dropped;
    }

    /** The headers to drop from a message, given the values of its {@code Connection} headers. */
    static HopByHopHeaders of(List<String> connectionValues) {
        if (connectionValues.isEmpty()) {
            return FIXED;
        }
        Set<String> dropped = ignoringCase(ALWAYS);
        for (String value : connectionValues) {
            for (String name : value.split(",")) {
                String trimmed = name.trim();
                if (!trimmed.isEmpty()) {
                    dropped.add(trimmed);
                }
            }
        }
        return new HopByHopHeaders(dropped);
    }

    boolean isDropped(String name) {
        return dropped.contains(name);
    }

    private static Set<String> ignoringCase(Set<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(names);
        return set;
    }
}
