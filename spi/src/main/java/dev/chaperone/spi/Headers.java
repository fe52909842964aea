package dev.chaperone.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * HTTP fields of a request or response: an ordered list of name and value pairs whose names compare
 * without regard to case.
 *
 * <p>Every change is checked, so that no filter can produce a header the server would have to refuse or,
 * worse, forward: names must be RFC 9110 tokens and values must not contain CR, LF or NUL. Not
 * thread-safe; a request's headers are only used by its own thread.
 */
public final class Headers {

    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    /** Makes an empty set of headers. */
    public Headers() {
    }

    /** The first value of the named header, or {@code null} when there is none. */
    public String get(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** Every value of the named header, in order; empty when there is none. */
    public List<String> getAll(String name) {
        List<String> found = new ArrayList<>(1);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                found.add(values.get(i));
            }
        }
        return Collections.unmodifiableList(found);
    }

    /** Whether a header of that name is present. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /** The distinct header names, in the spelling of their first occurrence. */
    public Set<String> names() {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> lower = new java.util.HashSet<>();
        for (String name : names) {
            if (lower.add(name.toLowerCase(Locale.ROOT))) {
                seen.add(name);
            }
        }
        return Collections.unmodifiableSet(seen);
    }

    /** How many fields there are, counting each value of a repeated header. */
    public int size() {
        return names.size();
    }

    /** The name of the field at {@code index}, in the order the fields were added. */
    public String nameAt(int index) {
        return names.get(index);
    }

    /** The value of the field at {@code index}, in the order the fields were added. */
    public String valueAt(int index) {
        return values.get(index);
    }

    /**
     * Replaces every header of that name with one field holding {@code value}. A header the client sent is
     * never kept beside the new one.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF or NUL
     */
    public Headers set(String name, String value) {
        checkName(name);
        checkValue(name, value);
        remove(name);
        names.add(name);
        values.add(value);
        return this;
    }

    /**
     * Adds one more field, keeping those of the same name.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF or NUL
     */
    public Headers add(String name, String value) {
        checkName(name);
        checkValue(name, value);
        names.add(name);
        values.add(value);
        return this;
    }

    /** Removes every field of that name; returns whether there was one. */
    public boolean remove(String name) {
        boolean removed = false;
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    /**
     * Checks that {@code name} is an RFC 9110 token.
     *
     * @throws IllegalArgumentException if it is not
     */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a header name cannot be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name '" + printable(name) + "' is not a token");
            }
        }
    }

    /**
     * Checks that a header value holds no CR, LF, NUL or other control character but tab. The message
     * names the header, never the value, because values may be secrets.
     *
     * @throws IllegalArgumentException if it does
     */
    public static void checkValue(String name, String value) {
        if (!isValidValue(value)) {
            throw new IllegalArgumentException("the value of header '" + printable(name)
                    + "' contains a control character (CR, LF, NUL or similar)");
        }
    }

    /**
     * Whether {@code value} may be a header value: no CR, LF, NUL or other control character but tab. Filters
     * use it to refuse a resolved secret before setting it, rather than catching {@link #checkValue}'s exception.
     */
    public static boolean isValidValue(String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Headers" + names;
    }
}
