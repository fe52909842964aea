package dev.chaperone.server.net;

import java.net.InetAddress;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for {@link AddressClassifier} and {@link Cidr}. Seeds are binary files in
 * {@code AddressClassifierFuzzTestInputs/<method>/}; each method says how it reads its input.
 */
class AddressClassifierFuzzTest {

    /** Input: one byte choosing IPv4 (even) or IPv6 (odd), then the address bytes, zero-padded. */
    @FuzzTest
    void classifiesAnyAddressLikeTheJdkSeesIt(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        byte[] address = Arrays.copyOfRange(input, 1, 1 + ((input[0] & 1) == 0 ? 4 : 16));

        AddressCategory category = AddressClassifier.classify(address);

        assertThat(category).isNotNull();
        // The JDK turns IPv4-mapped addresses into IPv4 ones; the category must not change with it.
        assertThat(AddressClassifier.classify(InetAddress.getByAddress(address))).isEqualTo(category);
    }

    /**
     * Input: one byte choosing the IPv6 form, four bytes of IPv4 address, and four bytes of Teredo server
     * address.
     */
    @FuzzTest
    void judgesEmbeddedIpv4ByTheEmbeddedAddress(byte[] input) {
        if (input.length < 9) {
            return;
        }
        int ipv4 = readInt(input, 1);
        int teredoServer = readInt(input, 5);
        long high;
        long low;
        AddressCategory expected = AddressClassifier.classifyIpv4(ipv4);
        switch ((input[0] & 0xff) % 7) {
            case 0 -> { // IPv4-mapped ::ffff:a.b.c.d
                high = 0;
                low = 0xffff_0000_0000L | ipv4 & 0xffff_ffffL;
            }
            case 1 -> { // IPv4-compatible ::a.b.c.d; ::1 is loopback, not 0.0.0.1
                high = 0;
                low = ipv4 & 0xffff_ffffL;
                if (ipv4 == 1) {
                    expected = AddressCategory.LOOPBACK;
                }
            }
            case 2 -> { // IPv4-translated ::ffff:0:a.b.c.d
                high = 0;
                low = 0xffff_0000_0000_0000L | ipv4 & 0xffff_ffffL;
            }
            case 3 -> { // NAT64 well-known prefix 64:ff9b::/96
                high = 0x0064_ff9b_0000_0000L;
                low = ipv4 & 0xffff_ffffL;
            }
            case 4 -> { // local-use NAT64 64:ff9b:1::/96 layout
                high = 0x0064_ff9b_0001_0000L;
                low = ipv4 & 0xffff_ffffL;
            }
            case 5 -> { // 6to4 2002:aabb:ccdd::/48, any subnet and interface id
                high = 0x2002_0000_0000_0000L | (ipv4 & 0xffff_ffffL) << 16 | teredoServer & 0xffffL;
                low = (long) teredoServer << 32 | teredoServer & 0xffff_ffffL;
            }
            default -> { // Teredo 2001:0:server::client-inverted; both must be public
                high = 0x2001_0000_0000_0000L | teredoServer & 0xffff_ffffL;
                low = 0x8000_63bf_0000_0000L | ~ipv4 & 0xffff_ffffL;
                if (expected.isPublic()) {
                    expected = AddressClassifier.classifyIpv4(teredoServer);
                }
            }
        }

        assertThat(AddressClassifier.classifyIpv6(high, low)).isEqualTo(expected);
    }

    /** Input: UTF-8 text that may or may not be a CIDR. */
    @FuzzTest
    void parsesCidrsOnlyIntoNetworksThatPrintBackAsThemselves(byte[] input) {
        Cidr cidr;
        try {
            cidr = Cidr.parse(new String(input, UTF_8));
        } catch (IllegalArgumentException refused) {
            return;
        }

        assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
        assertThat(cidr.prefixLength()).isBetween(0, cidr.isIpv4() ? 32 : 128);
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16
                | (bytes[offset + 2] & 0xff) << 8 | bytes[offset + 3] & 0xff;
    }
}
