package dev.chaperone.server.net;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressClassifierTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, loopback",
        "127.255.255.254, loopback",
        "0.0.0.0, unspecified",
        "0.1.2.3, unspecified",
        "10.0.0.1, private",
        "10.255.255.255, private",
        "172.16.0.1, private",
        "172.31.255.255, private",
        "192.168.1.1, private",
        "169.254.169.254, link_local",
        "169.254.0.1, link_local",
        "100.64.0.1, cgnat",
        "100.127.255.255, cgnat",
        "224.0.0.1, multicast",
        "239.255.255.255, multicast",
        "255.255.255.255, broadcast",
        "240.0.0.1, reserved",
        "255.255.255.254, reserved",
        "192.88.99.1, reserved",
        "192.0.2.1, documentation",
        "198.51.100.7, documentation",
        "203.0.113.200, documentation",
        "198.18.0.1, benchmarking",
        "198.19.255.255, benchmarking",
        "192.0.0.8, ietf_protocol",
        "8.8.8.8, public",
        "1.1.1.1, public",
        "100.63.255.255, public",
        "100.128.0.0, public",
        "172.15.255.255, public",
        "172.32.0.0, public",
        "169.253.255.255, public",
        "192.0.3.1, public",
        "198.17.255.255, public",
        "198.20.0.0, public",
        "223.255.255.255, public",
    })
    void classifiesIpv4Ranges(String literal, String reason) {
        assertThat(AddressClassifier.classify(IpLiterals.bytes(literal)).reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "::1, loopback",
        "::, unspecified",
        "fc00::1, private",
        "fd12:3456::1, private",
        "fe80::1, link_local",
        "febf:ffff::1, link_local",
        "fec0::1, site_local",
        "feff::1, site_local",
        "ff02::1, multicast",
        "ff0e::1, multicast",
        "2001:db8::1, documentation",
        "3fff::1, documentation",
        "2001:2::1, benchmarking",
        "2001:1::1, ietf_protocol",
        "2001:4:112::1, ietf_protocol",
        "100::1, discard",
        "100::ffff:ffff:ffff:ffff, discard",
        "100:0:0:1::, reserved",
        "1::1, reserved",
        "4000::1, reserved",
        "64:ff9b:0:0:1::, reserved",
        "2606:4700:4700::1111, public",
        "2a00:1450:4001:82b::200e, public",
        "2001:200::1, public",
    })
    void classifiesIpv6Ranges(String literal, String reason) {
        assertThat(AddressClassifier.classify(IpLiterals.bytes(literal)).reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "::ffff:127.0.0.1, loopback",
        "::ffff:169.254.169.254, link_local",
        "::ffff:10.1.2.3, private",
        "::ffff:8.8.8.8, public",
        "::127.0.0.1, loopback",
        "::10.0.0.1, private",
        "::0.0.0.2, unspecified",
        "::8.8.8.8, public",
        "::ffff:0:127.0.0.1, loopback",
        "::ffff:0:192.168.0.1, private",
        "::ffff:0:8.8.8.8, public",
        "64:ff9b::127.0.0.1, loopback",
        "64:ff9b::169.254.169.254, link_local",
        "64:ff9b::8.8.8.8, public",
        "64:ff9b:1::10.0.0.1, private",
        "64:ff9b:1::8.8.8.8, public",
        "64:ff9b:1:7f00:1::, reserved",
        "2002:7f00:1::, loopback",
        "2002:a9fe:a9fe::1, link_local",
        "2002:c0a8:101:1::1, private",
        "2002:808:808::1, public",
        // Teredo: server 65.54.227.120, client 127.0.0.1 written inverted (80ff:fffe).
        "2001:0:4136:e378:8000:63bf:80ff:fffe, loopback",
        // Teredo: server 10.0.0.1 (private), client 8.8.8.8 inverted (f7f7:f7f7).
        "2001:0:a00:1:8000:63bf:f7f7:f7f7, private",
        // Teredo: server 65.54.227.120, client 8.8.8.8.
        "2001:0:4136:e378:8000:63bf:f7f7:f7f7, public",
    })
    void judgesIpv6FormsThatEmbedIpv4ByTheEmbeddedAddress(String literal, String reason) {
        assertThat(AddressClassifier.classify(IpLiterals.bytes(literal)).reason()).isEqualTo(reason);
    }

    @Test
    void classifiesInetAddressesLikeTheirBytes() throws Exception {
        assertThat(AddressClassifier.classify(InetAddress.getByName("127.0.0.1"))).isEqualTo(AddressCategory.LOOPBACK);
        assertThat(AddressClassifier.classify(IpLiterals.address("::ffff:169.254.169.254")))
                .isEqualTo(AddressCategory.LINK_LOCAL);
        assertThat(AddressClassifier.classify(InetAddress.getByName("[2606:4700::1]")))
                .isEqualTo(AddressCategory.PUBLIC);
    }

    @Test
    void classifiesIpv4NumbersAtTheEdgesOfTheRange() {
        assertThat(AddressClassifier.classifyIpv4(0)).isEqualTo(AddressCategory.UNSPECIFIED);
        assertThat(AddressClassifier.classifyIpv4(0x7f000001)).isEqualTo(AddressCategory.LOOPBACK);
        assertThat(AddressClassifier.classifyIpv4(-1)).isEqualTo(AddressCategory.BROADCAST);
        assertThat(AddressClassifier.classifyIpv4(Integer.MIN_VALUE)).isEqualTo(AddressCategory.PUBLIC);
    }

    @Test
    void refusesByteArraysThatAreNoAddress() {
        assertThatThrownBy(() -> AddressClassifier.classify(new byte[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 or 16 bytes");
    }

    @Test
    void onlyPublicIsPublic() {
        for (AddressCategory category : AddressCategory.values()) {
            assertThat(category.isPublic()).as(category.reason()).isEqualTo(category == AddressCategory.PUBLIC);
        }
    }
}
