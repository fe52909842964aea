package dev.chaperone.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A block of IP addresses such as {@code 10.0.0.0/8} or {@code fd00::/8}, as written in
 * {@code chaperone.upstream.allow-private}. A bare address stands for itself alone.
 *
 * @param network the first address of the block; its host bits are zero
 * @param prefixLength how many leading bits are fixed, 0 to 32 for IPv4 and 0 to 128 for IPv6
 */
public record Cidr(InetAddress network, int prefixLength) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("the prefix length must be from 0 to " + bits);
        }
        if (!network.equals(mask(network, prefixLength))) {
            throw new IllegalArgumentException("has bits set after the prefix; the block starts at "
                    + mask(network, prefixLength).getHostAddress() + "/" + prefixLength);
        }
    }

    /**
     * Parses {@code address/prefix} or a bare address. Only IP literals are accepted, so parsing never
     * resolves a name.
     *
     * @throws IllegalArgumentException with a message fit for the operator
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR block");
        }
        InetAddress network;
        try {
            network = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR block");
        }
        int bits = network.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = trimmed.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException(
                        "'" + trimmed + "' has a prefix length that is not from 0 to " + bits);
            }
            prefix = Integer.parseInt(length);
        }
        try {
            return new Cidr(network, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + trimmed + "' " + e.getMessage());
        }
    }

    /** Whether {@code address} lies in this block; addresses of the other IP version never do. */
    public boolean contains(InetAddress address) {
        return address.getAddress().length == network.getAddress().length
                && mask(address, prefixLength).equals(network);
    }

    private static InetAddress mask(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
