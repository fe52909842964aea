package dev.chaperone.admin.testing;

import java.util.Set;

/**
 * One rule of {@link HostRulesConfig}.
 *
 * @param host the host name
 * @param ports the ports allowed, all when empty
 * @param mode whether a match allows or denies
 */
public record HostRule(String host, Set<Integer> ports, Mode mode) {

    /** What a match does. */
    public enum Mode { ALLOW, DENY }

    public HostRule {
        ports = ports == null ? Set.of() : Set.copyOf(ports);
        mode = mode == null ? Mode.ALLOW : mode;
    }
}
