package dev.chaperone.plugins.denylist;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chaperone.plugins.matching.RuleConfig;
import dev.chaperone.plugins.testing.Filters;
import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.testing.FakeConnectRequest;
import dev.chaperone.spi.testing.FakeFilterRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DenylistFilterTest {

    private final Filter filter = Filters.create(new DenylistFilterFactory(), new DenylistConfig(
            List.of("169.254.169.254", "*.internal.example", "metadata.google.internal:80"),
            List.of(new RuleConfig("api.example.com", null, null, List.of("/admin")),
                    new RuleConfig("api.example.com", null, List.of("DELETE"), null))));

    @Test
    void refusesListedHostsNamingTheRule() {
        Decision decision = filter.onRequest(FakeFilterRequest.https("db.internal.example", "/"));
        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.error()).isEqualTo("egress_denied");
        assertThat(decision.reason()).isEqualTo("host_denied");
        assertThat(decision.rule()).isEqualTo("*.internal.example");
    }

    @Test
    void letsOtherRequestsGoOnUndecided() {
        assertThat(filter.onRequest(FakeFilterRequest.https("api.stripe.com", "/")).kind())
                .isEqualTo(Decision.Kind.PROCEED);
        assertThat(filter.onRequest(FakeFilterRequest.https("api.example.com", "/v1/users")).kind())
                .isEqualTo(Decision.Kind.PROCEED);
        assertThat(filter.onRequest(FakeFilterRequest.http("metadata.google.internal", "/")).rule())
                .isEqualTo("metadata.google.internal:80");
        assertThat(filter.onRequest(FakeFilterRequest.https("metadata.google.internal", "/")).kind())
                .isEqualTo(Decision.Kind.PROCEED);
    }

    @Test
    void refusesWholeHostsAtConnectTimeButLeavesPathRulesForRequests() {
        Decision metadata = filter.onConnect(FakeConnectRequest.tunnelTo("169.254.169.254", 443));
        assertThat(metadata.reason()).isEqualTo("host_denied");
        assertThat(metadata.rule()).isEqualTo("169.254.169.254");
        assertThat(filter.onConnect(FakeConnectRequest.tunnelTo("api.example.com", 443)).kind())
                .isEqualTo(Decision.Kind.PROCEED);
    }

    @Test
    void refusesPathsAndMethodsThatRulesName() {
        Decision admin = filter.onRequest(FakeFilterRequest.https("api.example.com", "/admin/users"));
        assertThat(admin.reason()).isEqualTo("path_denied");
        assertThat(admin.rule()).isEqualTo("api.example.com paths=/admin");
        Decision delete = filter.onRequest(FakeFilterRequest.of("DELETE", "https", "api.example.com", 443, "/x"));
        assertThat(delete.reason()).isEqualTo("method_denied");
        assertThat(delete.rule()).isEqualTo("api.example.com methods=DELETE");
    }

    @Test
    void refusesLenientSpellingsOfADeniedPath() {
        for (String path : new String[] {"/ADMIN", "/Admin/x", "/admin;jsessionid=1", "//admin", "/admin%2fusers"}) {
            assertThat(filter.onRequest(FakeFilterRequest.https("api.example.com", path)).reason())
                    .as(path).isEqualTo("path_denied");
        }
    }

    @Test
    void refusesAnEmptyDenylistAndBadEntries() {
        assertThatThrownBy(() -> new DenylistConfig(List.of(), null))
                .hasMessage("a denylist needs at least one entry in 'hosts' or 'rules'");
        assertThatThrownBy(() -> DenylistConfig.ofHosts("10.0.0.1/8"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'10.0.0.1/8' is not a valid host pattern: the address has bits set beyond the prefix "
                        + "length; the block is 10.0.0.0/8")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts[0]");
    }
}
