package dev.chaperone.plugins.matching;

import java.util.List;

/**
 * One detailed rule as written in JSON: {@code {"host": "api.stripe.com", "ports": [443],
 * "methods": ["GET"], "paths": ["/v1/charges"]}}. Only {@code host} is required; an absent list means "any".
 * The values are checked by {@link HostRules#parse}, which knows where in the config the rule is.
 *
 * @param host a host pattern (see {@link HostPattern#parse})
 * @param ports ports from 1 to 65535
 * @param methods HTTP methods, in any case
 * @param paths path prefixes, starting with {@code /}
 */
public record RuleConfig(String host, List<Integer> ports, List<String> methods, List<String> paths) {

    public RuleConfig {
        ports = ConfigValues.list(ports, "ports");
        methods = ConfigValues.list(methods, "methods");
        paths = ConfigValues.list(paths, "paths");
    }

    /** A rule for a host alone. */
    public static RuleConfig host(String host) {
        return new RuleConfig(host, null, null, null);
    }
}
