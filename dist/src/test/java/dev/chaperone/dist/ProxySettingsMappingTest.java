package dev.chaperone.dist;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.chaperone.server.ProxySettings;
import dev.chaperone.server.config.ConfigLoader;

import static org.assertj.core.api.Assertions.assertThat;

class ProxySettingsMappingTest {

    @Test
    void passesEveryClientLimitOfTheConfigurationToTheProxy() {
        ProxySettings settings = Application.proxySettings(ConfigLoader.load(null, Map.of(), Map.of(
                "chaperone.limits.max-header-size", "8KB",
                "chaperone.limits.max-body-size", "10MB",
                "chaperone.limits.idle-timeout", "45s",
                "chaperone.limits.tls-handshake-timeout", "3s",
                "chaperone.limits.connections-per-instance", "12",
                "chaperone.limits.header-read-timeout", "7s")));

        assertThat(settings.maxRequestHeaderSize()).isEqualTo(8 * 1024);
        assertThat(settings.maxBodySize()).isEqualTo(10L * 1024 * 1024);
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.tlsHandshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.connectionsPerInstance()).isEqualTo(12);
        assertThat(settings.headerReadTimeout()).isEqualTo(Duration.ofSeconds(7));
    }
}
