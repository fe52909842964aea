package dev.chaperone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class StartupBannerTest {

    private static final String FINGERPRINT = "AB:CD:EF";

    @Test
    void tellsWhereEverythingIsAndHowToPointASandboxAtTheProxy() {
        StartupBanner banner = new StartupBanner("1.2.3", "127.0.0.1", 3128, "127.0.0.1", 3129,
                Optional.of(Path.of("/opt/chaperone/data/admin.token")), FINGERPRINT,
                Path.of("/opt/chaperone/data/ca.pem"), List.of("allowlist", "header-injection"));

        assertThat(banner.lines()).containsExactly(
                "Chaperone 1.2.3 is ready",
                "  proxy      127.0.0.1:3128",
                "  admin API  http://127.0.0.1:3129 (admin token in /opt/chaperone/data/admin.token)",
                "  CA         /opt/chaperone/data/ca.pem (SHA-256 AB:CD:EF)",
                "  plugins    allowlist, header-injection",
                "  sandbox    HTTPS_PROXY=http://<instance-id>:<proxy-token>@127.0.0.1:3128");
    }

    @Test
    void saysTheAdminTokenIsConfiguredWhenNoFileHoldsIt() {
        StartupBanner banner = new StartupBanner("1.2.3", "127.0.0.1", 3128, "127.0.0.1", 3129, Optional.empty(),
                FINGERPRINT, Path.of("ca.pem"), List.of());

        assertThat(banner.lines().get(2)).isEqualTo("  admin API  http://127.0.0.1:3129 "
                + "(admin token from chaperone.admin.token)");
        assertThat(banner.lines().get(4)).isEqualTo("  plugins    (none)");
    }

    @Test
    void asksForTheProxyHostWhenListeningOnEveryInterface() {
        StartupBanner banner = new StartupBanner("1.2.3", "0.0.0.0", 40123, "::1", 3129, Optional.empty(),
                FINGERPRINT, Path.of("ca.pem"), List.of());

        assertThat(banner.lines().get(1)).isEqualTo("  proxy      0.0.0.0:40123");
        assertThat(banner.lines().get(2)).startsWith("  admin API  http://[::1]:3129 ");
        assertThat(banner.lines().get(5))
                .isEqualTo("  sandbox    HTTPS_PROXY=http://<instance-id>:<proxy-token>@<proxy-host>:40123");
    }
}
