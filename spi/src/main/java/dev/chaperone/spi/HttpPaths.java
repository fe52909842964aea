package dev.chaperone.spi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one normal form of a request path, used by the server for what it forwards and by plugins for what
 * they match, so that a path rule judges exactly the path the upstream receives.
 *
 * <p>Normal form: starts with {@code /}; percent-escapes of unreserved characters decoded, every other
 * escape in upper case; {@code .} and {@code ..} segments removed. Paths that an upstream could read as
 * leaving their prefix in a way the normal form cannot show are refused: a segment that is a dot segment
 * once {@code %2F}, {@code %5C}, a {@code ;} parameter or a second round of decoding is taken into account
 * ({@code ..%2F}, {@code ..;}, {@code %252e%252e}), a backslash, a NUL, control or non-ASCII characters,
 * overlong UTF-8 escapes ({@code %C0%AE}) and broken escapes.
 */
public final class HttpPaths {

    /** Where a decoded segment splits into the pieces a lenient server would see: slash or backslash. */
    private static final Pattern SEPARATORS = Pattern.compile("[/\\\\]");

    private HttpPaths() {
    }

    /**
     * Returns the normal form of a request path (the part of the request target before {@code ?}).
     *
     * @throws IllegalArgumentException when the path is refused; the message says why
     */
    public static String normalize(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        if (rawPath.charAt(0) != '/') {
            throw new IllegalArgumentException("the path does not start with '/'");
        }
        String decoded = decodeUnreserved(rawPath);
        String normal = removeDotSegments(decoded);
        if (normal.indexOf('%') < 0 && normal.indexOf('\\') < 0 && normal.indexOf(';') < 0) {
            // Nothing left that a server could decode or strip into a dot segment, and removing dot segments
            // left none in plain sight: the common case, checked without splitting the path.
            return normal;
        }
        for (String segment : normal.split("/", -1)) {
            checkSegment(segment);
        }
        return normal;
    }

    /**
     * Whether normalised {@code path} lies under normalised {@code prefix}, segment by segment:
     * {@code /v1/charges} covers {@code /v1/charges} and {@code /v1/charges/ch_1} but not
     * {@code /v1/chargesX}. A prefix ending in {@code /} covers only what is below it.
     */
    public static boolean hasPrefix(String path, String prefix) {
        if (prefix.equals("/")) {
            return true;
        }
        if (!path.startsWith(prefix)) {
            return false;
        }
        return path.length() == prefix.length() || prefix.endsWith("/") || path.charAt(prefix.length()) == '/';
    }

    private static String decodeUnreserved(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int value = escapeAt(raw, i);
                if (value < 0) {
                    throw new IllegalArgumentException("the path has a broken percent-escape");
                }
                if (value == 0) {
                    throw new IllegalArgumentException("the path contains an encoded NUL");
                }
                if (value == 0xC0 || value == 0xC1) {
                    // Never valid UTF-8; old decoders read %C0%AE as '.' and %C0%AF as '/'.
                    throw new IllegalArgumentException("the path contains an overlong UTF-8 escape");
                }
                if (isUnreserved((char) value)) {
                    out.append((char) value);
                } else {
                    out.append('%').append(raw.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
                }
                i += 2;
            } else if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("the path contains a space, control or non-ASCII character");
            } else if (c == '\\') {
                throw new IllegalArgumentException("the path contains a backslash");
            } else if (c == '#' || c == '?') {
                throw new IllegalArgumentException("the path contains '" + c + "'");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 section 5.2.4, on a path that starts with '/'. */
    private static String removeDotSegments(String path) {
        Deque<String> kept = new ArrayDeque<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                if (last) {
                    kept.addLast("");
                }
            } else if (segment.equals("..")) {
                kept.pollLast();
                if (last) {
                    kept.addLast("");
                }
            } else {
                kept.addLast(segment);
            }
        }
        return "/" + String.join("/", kept);
    }

    /**
     * Refuses a segment in which a server that decodes more than the normal form shows would find a dot
     * segment: one that decodes {@code %2F} or {@code %5C} before resolving dot segments, drops
     * {@code ;parameters} (Tomcat, Spring), or decodes twice ({@code %252e%252e}).
     */
    private static void checkSegment(String segment) {
        String decoded = segment;
        while (decoded.indexOf('%') >= 0) {
            String next = decodeAll(decoded);
            if (next.equals(decoded)) {
                break;
            }
            decoded = next;
        }
        for (String piece : SEPARATORS.split(decoded, -1)) {
            int semicolon = piece.indexOf(';');
            String name = semicolon >= 0 ? piece.substring(0, semicolon) : piece;
            if (name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException(
                        "the path hides a dot segment behind an encoded slash, ';' or a second encoding");
            }
        }
    }

    /** Decodes every well-formed escape once; a broken one stays as it is. Bytes are read as Latin-1. */
    private static String decodeAll(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int value = c == '%' ? escapeAt(s, i) : -1;
            if (value >= 0) {
                out.append((char) value);
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The byte of the escape {@code %XY} starting at {@code i}, or -1 when it is not two ASCII hex digits. */
    private static int escapeAt(String s, int i) {
        if (i + 2 >= s.length()) {
            return -1;
        }
        int high = hexValue(s.charAt(i + 1));
        int low = hexValue(s.charAt(i + 2));
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    /** Only ASCII hex digits: {@link Character#digit} would also accept fullwidth and other Unicode digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
