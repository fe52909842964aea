package dev.chaperone.plugins.matching;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import dev.chaperone.spi.HostNames;

/** Conversions between canonical IP literals and their bytes, for CIDR matching. Never touches the network. */
final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * Whether a canonical host is an IP literal: it has a colon, or its last label is all digits. The same
     * answer as {@link HostNames#isIpLiteral} for canonical hosts, without allocating, for the lookup path.
     */
    static boolean isLiteral(String canonical) {
        int i = canonical.length() - 1;
        if (i < 0) {
            return false;
        }
        if (canonical.indexOf(':') >= 0) {
            return true;
        }
        for (; i >= 0 && canonical.charAt(i) != '.'; i--) {
            char c = canonical.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes of a canonical IP literal (see {@link HostNames#normalize}): 4 for IPv4, 16 for IPv6.
     *
     * @throws IllegalArgumentException when it is not one
     */
    static byte[] parse(String canonical) {
        byte[] bytes = tryParse(canonical);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address: " + canonical);
        }
        return bytes;
    }

    /** The bytes of a canonical IP literal, or {@code null} when it is not one. */
    static byte[] tryParse(String canonical) {
        if (canonical.indexOf(':') >= 0) {
            return parseIpv6(canonical);
        }
        return parseIpv4(canonical);
    }

    private static byte[] parseIpv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i == text.length() ? '.' : text.charAt(i);
            if (c == '.') {
                if (value < 0 || part == 4) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    private static byte[] parseIpv6(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return null;
            }
        }
        try {
            // In brackets and made only of hex digits, colons and dots, the JDK parses and never resolves.
            byte[] bytes = InetAddress.getByName("[" + text + "]").getAddress();
            return bytes.length == 16 ? bytes : mapped(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) of an IPv4 address. */
    static byte[] mapped(byte[] ipv4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, bytes, 12, 4);
        return bytes;
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address, or {@code null} when it is not one. */
    static byte[] unmapped(byte[] ipv6) {
        for (int i = 0; i < 10; i++) {
            if (ipv6[i] != 0) {
                return null;
            }
        }
        if (ipv6[10] != (byte) 0xff || ipv6[11] != (byte) 0xff) {
            return null;
        }
        byte[] bytes = new byte[4];
        System.arraycopy(ipv6, 12, bytes, 0, 4);
        return bytes;
    }

    static boolean hostBitsAreZero(byte[] address, int prefixLength) {
        return Arrays.equals(address, mask(address, prefixLength));
    }

    /** A copy of {@code address} with every bit after the first {@code prefixLength} cleared. */
    static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsKept = Math.max(0, Math.min(8, prefixLength - i * 8));
            masked[i] &= (byte) (0xff << (8 - bitsKept));
        }
        return masked;
    }

    static String format(byte[] address) {
        if (address.length == 16) {
            return HostNames.formatIpv6(address);
        }
        return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }
}
