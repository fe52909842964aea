package dev.chaperone.server.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.chaperone.spi.HostNames;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 10.0.0.0/8} or {@code fd00::/8}; the form in
 * which {@code chaperone.upstream.allow-private} names the internal networks an operator lets through.
 *
 * <p>Parsing is strict because a lenient reading of a security setting can open more than was meant:
 * the prefix length is mandatory and written in decimal without leading zeros; IPv4 is a dotted quad of
 * decimal numbers without leading zeros (no {@code 10.1/16}, no octal or hex); IPv6 is any RFC 4291 text
 * form without brackets or zone id. Host bits must be zero: {@code 10.0.0.1/8} is refused rather than
 * silently widened to {@code 10.0.0.0/8}, since it is more likely a typo for a narrower network.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code text}, such as {@code 127.0.0.0/8} or {@code 2001:db8::/32}.
     *
     * @throws IllegalArgumentException when {@code text} is not a CIDR in the accepted form; the message
     *     says why
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length (write 10.0.0.0/8)");
        }
        String addressText = text.substring(0, slash);
        byte[] network = addressText.indexOf(':') >= 0 ? parseIpv6(text, addressText) : parseIpv4(text, addressText);
        int prefixLength = parsePrefixLength(text, text.substring(slash + 1), network.length * 8);
        if (!Arrays.equals(network, mask(network, prefixLength))) {
            throw new IllegalArgumentException("'" + text + "' has bits set after the prefix (did you mean "
                    + format(mask(network, prefixLength), prefixLength) + "?)");
        }
        return new Cidr(network, prefixLength);
    }

    /**
     * Parses a comma-separated list of CIDRs, as {@code chaperone.upstream.allow-private} holds them;
     * blanks around entries are ignored, and a blank list is empty.
     *
     * @throws IllegalArgumentException naming the first entry that is not a valid CIDR
     */
    public static List<Cidr> parseList(String text) {
        Objects.requireNonNull(text, "text");
        List<Cidr> networks = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            String trimmed = entry.strip();
            if (!trimmed.isEmpty()) {
                networks.add(parse(trimmed));
            }
        }
        return List.copyOf(networks);
    }

    /**
     * Whether {@code address} lies in this network. An IPv4 network also contains the IPv4-mapped IPv6
     * form ({@code ::ffff:a.b.c.d}) of its addresses, because a socket connecting to that form reaches the
     * IPv4 address; no other IPv6 form of an IPv4 address is treated as it.
     */
    public boolean contains(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return contains(address.getAddress());
    }

    /** Whether the address given as its 4 or 16 bytes lies in this network; see {@link #contains(InetAddress)}. */
    public boolean contains(byte[] address) {
        Objects.requireNonNull(address, "address");
        if (address.length == network.length) {
            return matches(address, 0);
        }
        if (network.length == 4 && address.length == 16 && isIpv4Mapped(address)) {
            return matches(address, 12);
        }
        return false;
    }

    /** Whether this is an IPv4 network. */
    public boolean isIpv4() {
        return network.length == 4;
    }

    /** The prefix length, from 0 to 32 (IPv4) or 128 (IPv6). */
    public int prefixLength() {
        return prefixLength;
    }

    /** The canonical text: {@code 10.0.0.0/8}, {@code fd00::/8} (IPv6 in RFC 5952 form). */
    @Override
    public String toString() {
        return format(network, prefixLength);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && prefixLength == cidr.prefixLength && Arrays.equals(network, cidr.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    private boolean matches(byte[] address, int offset) {
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[offset + i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int byteMask = 0xff << (8 - remainingBits) & 0xff;
        return (address[offset + fullBytes] & byteMask) == (network[fullBytes] & byteMask);
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    private static byte[] parseIpv4(String text, String addressText) {
        String[] parts = addressText.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 network: write four decimal numbers");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) parseDecimal(text, parts[i], 255, "an IPv4 address part");
        }
        return bytes;
    }

    private static byte[] parseIpv6(String text, String addressText) {
        for (int i = 0; i < addressText.length(); i++) {
            char c = addressText.charAt(i);
            boolean allowed = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!allowed && c != ':' && c != '.') {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 network: unexpected '" + c + "'");
            }
        }
        InetAddress address;
        try {
            // Only hex digits, colons and dots inside brackets: the JDK parses a literal and never resolves.
            address = InetAddress.getByName("[" + addressText + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 network");
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form that was written.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }

    private static int parsePrefixLength(String text, String digits, int max) {
        return parseDecimal(text, digits, max, "the prefix length");
    }

    private static int parseDecimal(String text, String digits, int max, String what) {
        if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "': " + what + " must be a decimal number");
        }
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            throw new IllegalArgumentException("'" + text + "': " + what + " must not have leading zeros");
        }
        int value = Integer.parseInt(digits);
        if (value > max) {
            throw new IllegalArgumentException("'" + text + "': " + what + " is over " + max);
        }
        return value;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = new byte[address.length];
        for (int i = 0; i < address.length; i++) {
            int bitsInByte = Math.max(0, Math.min(8, prefixLength - 8 * i));
            masked[i] = (byte) (address[i] & 0xff << (8 - bitsInByte));
        }
        return masked;
    }

    private static String format(byte[] network, int prefixLength) {
        String address;
        if (network.length == 4) {
            address = (network[0] & 0xff) + "." + (network[1] & 0xff) + "." + (network[2] & 0xff) + "."
                    + (network[3] & 0xff);
        } else {
            address = HostNames.formatIpv6(network);
        }
        return address + "/" + prefixLength;
    }
}
