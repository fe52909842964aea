package dev.chaperone.plugins.matching;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.HttpPaths;

/**
 * Turns the {@code hosts} and {@code rules} of a config into {@link HostRule}s, refusing the first bad
 * value with a {@link ConfigException} that names its JSON path ({@code hosts[2]}, {@code rules[0].paths[1]}).
 */
public final class HostRules {

    private HostRules() {
    }

    /**
     * Parses plain host patterns, then detailed rules, in that order (which is their precedence).
     *
     * @param hosts host patterns, each a rule of its own
     * @param rules detailed rules
     * @throws ConfigException naming the first value that is not valid
     */
    public static List<HostRule> parse(List<String> hosts, List<RuleConfig> rules) {
        List<HostRule> parsed = new ArrayList<>(hosts.size() + rules.size());
        parsed.addAll(parseHosts(hosts, "hosts"));
        for (int i = 0; i < rules.size(); i++) {
            parsed.add(parseRule(rules.get(i), "rules[" + i + "]"));
        }
        return List.copyOf(parsed);
    }

    /**
     * Parses like {@link #parse}, refusing a config that gives neither host patterns nor rules, since a filter
     * without any would be a mistake rather than a choice.
     *
     * @param owner the filter as the error names it, such as {@code "an allowlist"}
     * @throws ConfigException when both are empty or a value is not valid
     */
    public static List<HostRule> parseNotEmpty(List<String> hosts, List<RuleConfig> rules, String owner) {
        if (hosts.isEmpty() && rules.isEmpty()) {
            throw new ConfigException("hosts", owner + " needs at least one entry in 'hosts' or 'rules'");
        }
        return parse(hosts, rules);
    }

    /**
     * Parses host patterns, each into a host-only rule of its own, in order.
     *
     * @param field the JSON name of the list, so that errors name {@code field[i]}
     * @throws ConfigException naming the first pattern that is not valid
     */
    public static List<HostRule> parseHosts(List<String> hosts, String field) {
        List<HostRule> parsed = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            parsed.add(parseHost(hosts.get(i), field + "[" + i + "]"));
        }
        return List.copyOf(parsed);
    }

    /**
     * Parses one host pattern into a host-only rule.
     *
     * @throws ConfigException naming {@code field} when it is not valid
     */
    public static HostRule parseHost(String text, String field) {
        try {
            return HostRule.ofHost(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field, "'" + ConfigValues.printable(text) + "' is not a valid host pattern: "
                    + e.getMessage());
        }
    }

    private static HostRule parseRule(RuleConfig rule, String field) {
        if (rule.host() == null) {
            throw new ConfigException(field + ".host", "a rule needs a host");
        }
        HostPattern pattern;
        try {
            pattern = HostPattern.parse(rule.host());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field + ".host", "'" + ConfigValues.printable(rule.host())
                    + "' is not a valid host pattern: " + e.getMessage());
        }
        Set<Integer> ports = new LinkedHashSet<>();
        pattern.port().ifPresent(ports::add);
        for (int i = 0; i < rule.ports().size(); i++) {
            int port = rule.ports().get(i);
            if (port < 1 || port > 65535) {
                throw new ConfigException(field + ".ports[" + i + "]", "a port must be from 1 to 65535, not " + port);
            }
            ports.add(port);
        }
        Set<String> methods = new LinkedHashSet<>();
        for (int i = 0; i < rule.methods().size(); i++) {
            methods.add(ConfigValues.method(rule.methods().get(i), field + ".methods[" + i + "]"));
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < rule.paths().size(); i++) {
            String path = rule.paths().get(i);
            try {
                paths.add(HttpPaths.normalize(path));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(field + ".paths[" + i + "]", "'" + ConfigValues.printable(path)
                        + "' is not a valid path prefix: " + e.getMessage());
            }
        }
        return new HostRule(describe(rule), pattern, ports, methods, paths);
    }

    /** The rule as decisions name it: its host as written, then whatever limits it. */
    private static String describe(RuleConfig rule) {
        StringBuilder out = new StringBuilder(rule.host());
        if (!rule.ports().isEmpty()) {
            out.append(" ports=").append(join(rule.ports()));
        }
        if (!rule.methods().isEmpty()) {
            out.append(" methods=").append(join(rule.methods()));
        }
        if (!rule.paths().isEmpty()) {
            out.append(" paths=").append(join(rule.paths()));
        }
        return out.toString();
    }

    private static String join(List<?> values) {
        StringBuilder out = new StringBuilder();
        for (Object value : values) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(value);
        }
        return out.toString();
    }
}
