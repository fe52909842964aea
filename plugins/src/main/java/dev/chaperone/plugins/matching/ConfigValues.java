package dev.chaperone.plugins.matching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.chaperone.spi.ConfigException;

/**
 * Helpers for config records: JSON leaves absent fields {@code null}, and lists or maps may hold
 * {@code null} elements, which are refused here with the field named rather than failing later.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    /**
     * An immutable copy of {@code list}, or an empty list when it is {@code null}.
     *
     * @throws ConfigException naming {@code field[i]} when an element is {@code null}
     */
    public static <T> List<T> list(List<T> list, String field) {
        if (list == null) {
            return List.of();
        }
        List<T> copy = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            T element = list.get(i);
            if (element == null) {
                throw new ConfigException(field + "[" + i + "]", "must not be null");
            }
            copy.add(element);
        }
        return Collections.unmodifiableList(copy);
    }

    /**
     * An immutable copy of {@code map} that keeps its order, or an empty map when it is {@code null}.
     *
     * @throws ConfigException naming {@code field.key} when a value is {@code null}
     */
    public static Map<String, String> map(Map<String, String> map, String field) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : map.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new ConfigException(field + "." + entry.getKey(), "must not be null");
            }
            copy.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    /** A method name in upper case, checked to be an RFC 9110 token. */
    static String method(String method, String field) {
        if (method.isEmpty() || !method.chars().allMatch(c -> c < 0x7f && (Character.isLetterOrDigit(c)
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0))) {
            throw new ConfigException(field, "'" + printable(method) + "' is not an HTTP method");
        }
        return method.toUpperCase(Locale.ROOT);
    }

    /** Text safe to put in a message: at most 64 characters, controls replaced. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 64 ? out + "..." : out.toString();
    }
}
