package dev.chaperone.server.net;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Sorts an IP address into an {@link AddressCategory}, so that the address guard can refuse upstreams
 * that are not on the public internet. Pure arithmetic on the address bits: no DNS, no allocation beyond
 * the copy {@link InetAddress#getAddress()} makes.
 *
 * <p>IPv6 forms that carry an IPv4 address are judged by that IPv4 address, because that is where a
 * packet sent to them ends up: IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96},
 * IPv4-translated {@code ::ffff:0:0:0/96}, NAT64 {@code 64:ff9b::/96} and the local-use {@code 64:ff9b:1::/48}
 * (read at the {@code /96} position; other layouts are {@link AddressCategory#RESERVED reserved} because
 * their IPv4 part cannot be located), 6to4 {@code 2002::/16} and Teredo {@code 2001::/32} (its client
 * address and its server address must both be public). IPv6 outside {@code 2000::/3} that no other rule
 * covers is not allocated for unicast and counts as reserved.
 */
public final class AddressClassifier {

    private static final int IPV4_CGNAT = ipv4(100, 64, 0, 0);
    private static final int IPV4_LINK_LOCAL = ipv4(169, 254, 0, 0);
    private static final int IPV4_PRIVATE_172 = ipv4(172, 16, 0, 0);
    private static final int IPV4_PRIVATE_192 = ipv4(192, 168, 0, 0);
    private static final int IPV4_IETF_PROTOCOL = ipv4(192, 0, 0, 0);
    private static final int IPV4_TEST_NET_1 = ipv4(192, 0, 2, 0);
    private static final int IPV4_TEST_NET_2 = ipv4(198, 51, 100, 0);
    private static final int IPV4_TEST_NET_3 = ipv4(203, 0, 113, 0);
    private static final int IPV4_BENCHMARKING = ipv4(198, 18, 0, 0);
    private static final int IPV4_6TO4_RELAY = ipv4(192, 88, 99, 0);

    private static final long IPV6_NAT64 = 0x0064_ff9b_0000_0000L;
    private static final long IPV6_NAT64_LOCAL = 0x0064_ff9b_0001_0000L;
    private static final long IPV6_DISCARD = 0x0100_0000_0000_0000L;
    private static final long IPV6_IETF_PROTOCOL = 0x2001_0000_0000_0000L;
    private static final long IPV6_TEREDO = 0x2001_0000_0000_0000L;
    private static final long IPV6_BENCHMARKING = 0x2001_0002_0000_0000L;
    private static final long IPV6_DOCUMENTATION = 0x2001_0db8_0000_0000L;
    private static final long IPV6_DOCUMENTATION_2 = 0x3fff_0000_0000_0000L;
    private static final long IPV6_6TO4 = 0x2002_0000_0000_0000L;
    private static final long IPV6_GLOBAL_UNICAST = 0x2000_0000_0000_0000L;
    private static final long IPV6_UNIQUE_LOCAL = 0xfc00_0000_0000_0000L;
    private static final long IPV6_LINK_LOCAL = 0xfe80_0000_0000_0000L;
    private static final long IPV6_SITE_LOCAL = 0xfec0_0000_0000_0000L;
    private static final long IPV6_MULTICAST = 0xff00_0000_0000_0000L;

    private AddressClassifier() {
    }

    /** The category of {@code address}. */
    public static AddressCategory classify(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return classify(address.getAddress());
    }

    /**
     * The category of an address given as its bytes in network order.
     *
     * @throws IllegalArgumentException when {@code address} has neither 4 nor 16 bytes
     */
    public static AddressCategory classify(byte[] address) {
        Objects.requireNonNull(address, "address");
        if (address.length == 4) {
            return classifyIpv4(readInt(address, 0));
        }
        if (address.length == 16) {
            return classifyIpv6(readLong(address, 0), readLong(address, 8));
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
    }

    /** The category of an IPv4 address given as a 32-bit number ({@code 127.0.0.1} is {@code 0x7f000001}). */
    public static AddressCategory classifyIpv4(int address) {
        int first = address >>> 24;
        if (first == 0) {
            return AddressCategory.UNSPECIFIED;
        }
        if (first == 10) {
            return AddressCategory.PRIVATE;
        }
        if (first == 127) {
            return AddressCategory.LOOPBACK;
        }
        if (first >= 224) {
            if (address == -1) {
                return AddressCategory.BROADCAST;
            }
            return first < 240 ? AddressCategory.MULTICAST : AddressCategory.RESERVED;
        }
        if (inPrefix(address, IPV4_CGNAT, 10)) {
            return AddressCategory.CGNAT;
        }
        if (inPrefix(address, IPV4_LINK_LOCAL, 16)) {
            return AddressCategory.LINK_LOCAL;
        }
        if (inPrefix(address, IPV4_PRIVATE_172, 12) || inPrefix(address, IPV4_PRIVATE_192, 16)) {
            return AddressCategory.PRIVATE;
        }
        if (inPrefix(address, IPV4_TEST_NET_1, 24) || inPrefix(address, IPV4_TEST_NET_2, 24)
                || inPrefix(address, IPV4_TEST_NET_3, 24)) {
            return AddressCategory.DOCUMENTATION;
        }
        if (inPrefix(address, IPV4_IETF_PROTOCOL, 24)) {
            return AddressCategory.IETF_PROTOCOL;
        }
        if (inPrefix(address, IPV4_BENCHMARKING, 15)) {
            return AddressCategory.BENCHMARKING;
        }
        if (inPrefix(address, IPV4_6TO4_RELAY, 24)) {
            return AddressCategory.RESERVED;
        }
        return AddressCategory.PUBLIC;
    }

    /** The category of an IPv6 address given as its upper and lower 64 bits. */
    static AddressCategory classifyIpv6(long high, long low) {
        if (high == 0) {
            return classifyIpv6LowPrefix(low);
        }
        if (high == IPV6_NAT64 && low >>> 32 == 0) {
            return classifyIpv4((int) low);
        }
        if (inPrefix(high, IPV6_NAT64_LOCAL, 48)) {
            // Only the /96 layout says unambiguously where the IPv4 address sits.
            boolean layout96 = (high & 0xffffL) == 0 && low >>> 32 == 0;
            return layout96 ? classifyIpv4((int) low) : AddressCategory.RESERVED;
        }
        if (high == IPV6_DISCARD) {
            return AddressCategory.DISCARD;
        }
        if (inPrefix(high, IPV6_UNIQUE_LOCAL, 7)) {
            return AddressCategory.PRIVATE;
        }
        if (inPrefix(high, IPV6_LINK_LOCAL, 10)) {
            return AddressCategory.LINK_LOCAL;
        }
        if (inPrefix(high, IPV6_SITE_LOCAL, 10)) {
            return AddressCategory.SITE_LOCAL;
        }
        if (inPrefix(high, IPV6_MULTICAST, 8)) {
            return AddressCategory.MULTICAST;
        }
        if (!inPrefix(high, IPV6_GLOBAL_UNICAST, 3)) {
            return AddressCategory.RESERVED;
        }
        return classifyGlobalUnicast(high, low);
    }

    /** The IPv6 addresses whose upper 64 bits are zero: the special addresses and the IPv4 embeddings. */
    private static AddressCategory classifyIpv6LowPrefix(long low) {
        if (low == 0) {
            return AddressCategory.UNSPECIFIED;
        }
        if (low == 1) {
            return AddressCategory.LOOPBACK;
        }
        long upper32 = low >>> 32;
        if (upper32 == 0 || upper32 == 0xffffL || upper32 == 0xffff_0000L) {
            // IPv4-compatible, IPv4-mapped and IPv4-translated.
            return classifyIpv4((int) low);
        }
        return AddressCategory.RESERVED;
    }

    private static AddressCategory classifyGlobalUnicast(long high, long low) {
        if (inPrefix(high, IPV6_6TO4, 16)) {
            return classifyIpv4((int) (high >>> 16));
        }
        if (inPrefix(high, IPV6_TEREDO, 32)) {
            AddressCategory client = classifyIpv4(~(int) low);
            return client.isPublic() ? classifyIpv4((int) high) : client;
        }
        if (inPrefix(high, IPV6_BENCHMARKING, 48)) {
            return AddressCategory.BENCHMARKING;
        }
        if (inPrefix(high, IPV6_IETF_PROTOCOL, 23)) {
            return AddressCategory.IETF_PROTOCOL;
        }
        if (inPrefix(high, IPV6_DOCUMENTATION, 32) || inPrefix(high, IPV6_DOCUMENTATION_2, 20)) {
            return AddressCategory.DOCUMENTATION;
        }
        return AddressCategory.PUBLIC;
    }

    private static boolean inPrefix(int address, int network, int bits) {
        return (address ^ network) >>> (32 - bits) == 0;
    }

    private static boolean inPrefix(long address, long network, int bits) {
        return (address ^ network) >>> (64 - bits) == 0;
    }

    private static int ipv4(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16
                | (bytes[offset + 2] & 0xff) << 8 | bytes[offset + 3] & 0xff;
    }

    private static long readLong(byte[] bytes, int offset) {
        return (readInt(bytes, offset) & 0xffff_ffffL) << 32 | readInt(bytes, offset + 4) & 0xffff_ffffL;
    }
}
