package dev.chaperone.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void containsAddressesInsideTheBlockOnly() throws Exception {
        Cidr block = Cidr.parse("10.0.0.0/8");

        assertThat(block.contains(InetAddress.getByName("10.255.3.4"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("::ffff:0a00:0001"))).isTrue();
    }

    @Test
    void neverMatchesTheOtherIpVersion() throws Exception {
        assertThat(Cidr.parse("::/0").contains(InetAddress.getByName("192.0.2.1"))).isFalse();
    }

    @Test
    void readsIpv6BlocksAndBareAddresses() throws Exception {
        assertThat(Cidr.parse("fd00::/8").contains(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(Cidr.parse("192.168.1.7").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("2001:db8::1").prefixLength()).isEqualTo(128);
    }

    @Test
    void refusesNamesSoThatParsingNeverResolves() {
        assertThatThrownBy(() -> Cidr.parse("localhost/8"))
                .hasMessage("'localhost/8' is not an IP address or CIDR block");
    }
}
