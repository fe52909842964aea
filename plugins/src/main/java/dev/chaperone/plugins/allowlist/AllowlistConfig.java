package dev.chaperone.plugins.allowlist;

import java.util.List;

import dev.chaperone.plugins.matching.ConfigValues;
import dev.chaperone.plugins.matching.HostRules;
import dev.chaperone.plugins.matching.RuleConfig;

/**
 * The configuration of the {@code allowlist} filter: host patterns that are allowed whole, and detailed rules
 * limited to ports, methods or paths. At least one of the two must be given.
 *
 * @param hosts host patterns such as {@code "api.stripe.com"}, {@code "*.twilio.com"}, {@code "10.0.0.0/8"}
 * @param rules detailed rules
 */
public record AllowlistConfig(List<String> hosts, List<RuleConfig> rules) {

    public AllowlistConfig {
        hosts = ConfigValues.list(hosts, "hosts");
        rules = ConfigValues.list(rules, "rules");
        HostRules.parseNotEmpty(hosts, rules, "an allowlist");
    }

    /** An allowlist of host patterns only. */
    public static AllowlistConfig ofHosts(String... hosts) {
        return new AllowlistConfig(List.of(hosts), List.of());
    }
}
