package dev.chaperone.plugins.denylist;

import java.util.List;

import dev.chaperone.plugins.matching.ConfigValues;
import dev.chaperone.plugins.matching.HostRules;
import dev.chaperone.plugins.matching.RuleConfig;

/**
 * The configuration of the {@code denylist} filter: host patterns refused whole, and detailed rules that
 * refuse only some ports, methods or paths. At least one of the two must be given.
 *
 * @param hosts host patterns such as {@code "169.254.169.254"}, {@code "*.internal.example"}
 * @param rules detailed rules
 */
public record DenylistConfig(List<String> hosts, List<RuleConfig> rules) {

    public DenylistConfig {
        hosts = ConfigValues.list(hosts, "hosts");
        rules = ConfigValues.list(rules, "rules");
        HostRules.parseNotEmpty(hosts, rules, "a denylist");
    }

    /** A denylist of host patterns only. */
    public static DenylistConfig ofHosts(String... hosts) {
        return new DenylistConfig(List.of(hosts), List.of());
    }
}
