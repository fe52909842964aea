package dev.chaperone.spi;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The one canonical spelling of a host, used by the server for every target and by plugins for every
 * rule, so that two spellings of the same host can never be judged differently.
 *
 * <p>Canonical form is: a DNS name in lower-case ASCII (IDNs in punycode) without a trailing dot; an IPv4
 * address as a dotted quad of decimal numbers without leading zeros; an IPv6 address in the RFC 5952
 * text form without brackets. Spellings that some resolvers accept but that are ambiguous ({@code 127.1},
 * {@code 0x7f.0.0.1}, {@code 2130706433}, {@code 0177.0.0.1}, zone ids, userinfo, ports, brackets around
 * anything but an IPv6 literal, non-ASCII spellings of ASCII names) are refused, never interpreted.
 * Normalising never touches the network.
 */
public final class HostNames {

    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private HostNames() {
    }

    /**
     * Returns the canonical form of {@code host}, which may be a DNS name, an IDN, an IPv4 literal, or an
     * IPv6 literal with or without brackets.
     *
     * @throws IllegalArgumentException when {@code host} is not a valid host in a form Chaperone accepts;
     *     the message says why
     */
    public static String normalize(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the host is empty");
        }
        if (host.length() > 1024) {
            throw new IllegalArgumentException("the host is too long");
        }
        checkNoUrlSyntax(host);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("an IPv6 literal must be enclosed in one pair of brackets");
            }
            return normalizeIpv6(host.substring(1, host.length() - 1));
        }
        if (host.indexOf(']') >= 0) {
            throw new IllegalArgumentException("brackets are only allowed around a whole IPv6 literal");
        }
        if (host.indexOf(':') >= 0) {
            if (host.indexOf(':') == host.lastIndexOf(':')) {
                throw new IllegalArgumentException("the host contains ':' (a port does not belong in the host, "
                        + "and an IPv6 literal has at least two colons)");
            }
            return normalizeIpv6(host);
        }
        String name = host;
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.endsWith(".")) {
            throw new IllegalArgumentException("the host has an empty label");
        }
        String ascii = toAscii(name);
        if (looksNumeric(ascii)) {
            return normalizeIpv4(ascii);
        }
        checkDnsName(ascii);
        return ascii;
    }

    /** Whether a canonical host is an IP literal rather than a DNS name. */
    public static boolean isIpLiteral(String canonicalHost) {
        return canonicalHost.indexOf(':') >= 0 || looksNumeric(canonicalHost);
    }

    /**
     * The host as it is written in an authority ({@code Host} header, URL): IPv6 literals in brackets,
     * everything else as it is.
     */
    public static String toAuthorityForm(String canonicalHost) {
        return canonicalHost.indexOf(':') >= 0 ? "[" + canonicalHost + "]" : canonicalHost;
    }

    /**
     * A name looks like an IPv4 address when its last label is a number (decimal, or hexadecimal with
     * {@code 0x}), as URL parsers and {@code inet_aton} decide; such a host must be a canonical dotted quad.
     */
    private static boolean looksNumeric(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        if (last.startsWith("0x")) {
            return last.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return last.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String normalizeIpv4(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("an IPv4 address must be written as four decimal numbers");
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("an IPv4 address must be written as four decimal numbers");
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                throw new IllegalArgumentException("an IPv4 address must not have leading zeros (octal is ambiguous)");
            }
            if (Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("an IPv4 address part is over 255");
            }
        }
        return name;
    }

    private static String normalizeIpv6(String literal) {
        if (literal.isEmpty() || literal.length() > 45) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException(c == '%'
                        ? "IPv6 zone ids are not accepted" : "not a valid IPv6 address");
            }
        }
        if (literal.indexOf(':') < 0) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        InetAddress address;
        try {
            // With brackets and only hex digits, colons and dots, the JDK parses a literal and never resolves.
            address = InetAddress.getByName("[" + literal + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        if (address instanceof Inet4Address) {
            // The JDK turns IPv4-mapped literals (::ffff:a.b.c.d) into their IPv4 address; keep them IPv6
            // so that they are judged as written and the address guard sees the mapping.
            byte[] v4 = address.getAddress();
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4, 0, mapped, 12, 4);
            return formatIpv6(mapped);
        }
        return formatIpv6(((Inet6Address) address).getAddress());
    }

    /**
     * Formats 16 bytes as RFC 5952 text: lower case, no leading zeros, the longest run of zero groups as
     * {@code ::}.
     */
    public static String formatIpv6(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("an IPv6 address has 16 bytes");
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength && j - i >= 2) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /**
     * Refuses the parts of a URL that are not a host, with a message that says what was found, rather than
     * the generic "not a valid DNS name" that the IDN conversion would give.
     */
    private static void checkNoUrlSyntax(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '@') {
                throw new IllegalArgumentException("the host contains userinfo ('@')");
            }
            if (c == '#' || c == '?' || c == '/' || c == '\\') {
                throw new IllegalArgumentException("the host contains '" + c + "', which belongs to a URL, not a host");
            }
            if (c == '%') {
                throw new IllegalArgumentException("the host contains a percent-escape or an IPv6 zone id");
            }
            if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("the host contains a space or control character");
            }
            if (c == '\u3002' || c == '\uff0e' || c == '\uff61') {
                throw new IllegalArgumentException("the host contains a non-ASCII dot; labels are separated by '.'");
            }
        }
    }

    /**
     * Converts a name label by label: ASCII labels are lower-cased, labels with other characters become
     * punycode. A non-ASCII label whose IDNA form is plain ASCII (a soft hyphen that IDNA drops, fullwidth
     * letters or digits, a sharp s that IDNA 2003 and 2008 spell differently) is refused: it is a second
     * spelling of another name, and refusing it is safer than choosing one reading.
     */
    private static String toAscii(String name) {
        StringBuilder out = new StringBuilder(name.length() + 16);
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("the host has an empty label");
            }
            if (out.length() > 0) {
                out.append('.');
            }
            if (isAscii(label)) {
                out.append(label.toLowerCase(Locale.ROOT));
                continue;
            }
            String ascii;
            try {
                ascii = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the host is not a valid internationalised name: " + e.getMessage());
            }
            if (!ascii.startsWith("xn--")) {
                throw new IllegalArgumentException("the host spells an ASCII name with non-ASCII characters");
            }
            out.append(ascii);
        }
        return out.toString();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static void checkDnsName(String ascii) {
        if (ascii.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("the host is longer than 253 characters");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw new IllegalArgumentException("the host has an empty label");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("a label of the host is longer than 63 characters");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    throw new IllegalArgumentException("the host contains a character not allowed in a DNS name");
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException("a label of the host starts or ends with '-'");
            }
        }
    }
}
