package dev.chaperone.plugins.headerinjection;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.chaperone.plugins.common.SecretReferences;
import dev.chaperone.plugins.matching.ConfigValues;
import dev.chaperone.plugins.matching.HostRules;
import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Headers;

/**
 * The configuration of the {@code header-injection} filter: which hosts it applies to and which headers and
 * query parameters it sets there. Values may refer to instance secrets as {@code ${secret:NAME}}.
 *
 * <p>{@link #toString()} names fields and headers only: a value may be a credential written in plain.
 *
 * @param hosts host patterns (as in the allowlist) of the requests to change; at least one
 * @param set headers to set, replacing any of the same name the client sent
 * @param add headers to add beside any of the same name; their values may not refer to secrets, because a
 *     credential must replace what the client sent, never sit beside it
 * @param remove names of headers to remove
 * @param query query parameters to set, replacing any of the same name
 * @param allowPlaintext whether to change plain {@code http://} requests too; {@code false} by default, so
 *     that a credential is only ever sent inside TLS
 */
public record HeaderInjectionConfig(List<String> hosts, Map<String, String> set, Map<String, String> add,
        List<String> remove, Map<String, String> query, Boolean allowPlaintext) {

    /** Headers whose value belongs to the proxy or the connection, which a filter must not write. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "proxy-authorization", "proxy-authenticate", "proxy-connection", "te", "trailer",
            "upgrade");

    public HeaderInjectionConfig {
        hosts = ConfigValues.list(hosts, "hosts");
        set = ConfigValues.map(set, "set");
        add = ConfigValues.map(add, "add");
        remove = ConfigValues.list(remove, "remove");
        query = ConfigValues.map(query, "query");
        allowPlaintext = allowPlaintext != null && allowPlaintext;
        if (hosts.isEmpty()) {
            throw new ConfigException("hosts", "header injection needs at least one host pattern");
        }
        HostRules.parseHosts(hosts, "hosts");
        if (set.isEmpty() && add.isEmpty() && remove.isEmpty() && query.isEmpty()) {
            throw new ConfigException("set", "nothing to inject: give at least one of 'set', 'add', 'remove', 'query'");
        }
        Map<String, String> seen = new HashMap<>();
        set.forEach((name, value) -> checkHeader("set", name, value, seen));
        add.forEach((name, value) -> {
            checkHeader("add", name, value, seen);
            if (!SecretReferences.parse("add." + name, value).isLiteral()) {
                throw new ConfigException("add." + name, "a value with a secret must be in 'set', so that it "
                        + "replaces any header of that name the client sent");
            }
        });
        for (int i = 0; i < remove.size(); i++) {
            checkHeader("remove[" + i + "]", remove.get(i), "", seen);
        }
        query.forEach((name, value) -> {
            if (name.isEmpty()) {
                throw new ConfigException("query", "a query parameter name cannot be empty");
            }
            checkNoControl("query." + name, name);
            checkNoControl("query." + name, value);
            SecretReferences.parse("query." + name, value);
        });
    }

    /** Checks one header entry; {@code seen} maps lower-case names to the field that used them first. */
    private static void checkHeader(String group, String name, String value, Map<String, String> seen) {
        String field = group.startsWith("remove") ? group : group + "." + name;
        try {
            Headers.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field, e.getMessage());
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(lower)) {
            throw new ConfigException(field, "header '" + name + "' belongs to the proxy and cannot be changed");
        }
        String earlier = seen.putIfAbsent(lower, field);
        if (earlier != null) {
            throw new ConfigException(field, "header '" + name + "' is already named by " + earlier);
        }
        checkNoControl(field, value);
        SecretReferences.parse(field, value);
    }

    private static void checkNoControl(String field, String value) {
        if (!Headers.isValidValue(value)) {
            throw new ConfigException(field, "the value contains CR, LF, NUL or another control character");
        }
    }

    @Override
    public String toString() {
        return "HeaderInjectionConfig[hosts=" + hosts + ", set=" + set.keySet() + ", add=" + add.keySet()
                + ", remove=" + remove + ", query=" + query.keySet() + ", allowPlaintext=" + allowPlaintext + "]";
    }
}
