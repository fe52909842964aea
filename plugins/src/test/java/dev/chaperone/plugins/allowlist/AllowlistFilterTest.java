package dev.chaperone.plugins.allowlist;

import java.util.Arrays;
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

class AllowlistFilterTest {

    private final AllowlistFilterFactory factory = new AllowlistFilterFactory();

    private Filter allowlist(List<String> hosts, List<RuleConfig> rules) {
        return Filters.create(factory, new AllowlistConfig(hosts, rules));
    }

    @Test
    void allowsListedHostsNamingTheRule() {
        Filter filter = allowlist(List.of("api.stripe.com", "*.twilio.com"), null);
        Decision decision = filter.onRequest(FakeFilterRequest.https("api.twilio.com", "/2010-04-01/Accounts"));
        assertThat(decision.kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(decision.rule()).isEqualTo("*.twilio.com");
        assertThat(filter.onRequest(FakeFilterRequest.https("api.stripe.com", "/")).rule()).isEqualTo("api.stripe.com");
    }

    @Test
    void deniesHostOutsideAllowlist() {
        Filter filter = allowlist(List.of("api.stripe.com"), null);
        Decision decision = filter.onRequest(FakeFilterRequest.https("s3.amazonaws.com", "/bucket"));
        assertThat(decision.kind()).isEqualTo(Decision.Kind.RESPOND);
        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.error()).isEqualTo("egress_denied");
        assertThat(decision.reason()).isEqualTo("host_not_allowed");
        assertThat(decision.rule()).isNull();
    }

    @Test
    void refusesAtConnectTimeATargetNoRuleCouldAllow() {
        Filter filter = allowlist(List.of("api.stripe.com:443"),
                List.of(new RuleConfig("files.example.com", List.of(8443), null, List.of("/upload"))));
        assertThat(filter.onConnect(FakeConnectRequest.tunnelTo("api.stripe.com", 443)).kind())
                .isEqualTo(Decision.Kind.PROCEED);
        assertThat(filter.onConnect(FakeConnectRequest.tunnelTo("files.example.com", 8443)).kind())
                .isEqualTo(Decision.Kind.PROCEED);
        Decision otherPort = filter.onConnect(FakeConnectRequest.tunnelTo("api.stripe.com", 8443));
        assertThat(otherPort.status()).isEqualTo(403);
        assertThat(otherPort.reason()).isEqualTo("host_not_allowed");
        assertThat(filter.onConnect(FakeConnectRequest.tunnelTo("evil.example", 443)).reason())
                .isEqualTo("host_not_allowed");
    }

    @Test
    void saysWhetherMethodOrPathWasWrong() {
        Filter filter = allowlist(null, List.of(
                new RuleConfig("api.stripe.com", null, List.of("GET", "POST"), List.of("/v1/charges")),
                new RuleConfig("api.stripe.com", null, List.of("GET"), List.of("/v1/customers"))));
        assertThat(filter.onRequest(FakeFilterRequest.of("POST", "https", "api.stripe.com", 443, "/v1/charges"))
                .rule()).isEqualTo("api.stripe.com methods=GET,POST paths=/v1/charges");
        assertThat(filter.onRequest(FakeFilterRequest.of("GET", "https", "api.stripe.com", 443, "/v1/customers/1"))
                .rule()).isEqualTo("api.stripe.com methods=GET paths=/v1/customers");
        assertThat(filter.onRequest(FakeFilterRequest.of("POST", "https", "api.stripe.com", 443, "/v1/customers"))
                .reason()).isEqualTo("path_not_allowed");
        assertThat(filter.onRequest(FakeFilterRequest.of("GET", "https", "api.stripe.com", 443, "/v1/refunds"))
                .reason()).isEqualTo("path_not_allowed");
        assertThat(filter.onRequest(FakeFilterRequest.of("DELETE", "https", "api.stripe.com", 443, "/v1/charges"))
                .reason()).isEqualTo("method_not_allowed");
    }

    @Test
    void methodsInConfigAreCaseInsensitive() {
        Filter filter = allowlist(null, List.of(new RuleConfig("api.stripe.com", null, List.of("get"), null)));
        assertThat(filter.onRequest(FakeFilterRequest.https("api.stripe.com", "/")).kind())
                .isEqualTo(Decision.Kind.ALLOW);
    }

    @Test
    void hostsComeBeforeRules() {
        Filter filter = allowlist(List.of("*.stripe.com"),
                List.of(new RuleConfig("api.stripe.com", null, null, List.of("/v1"))));
        assertThat(filter.onRequest(FakeFilterRequest.https("api.stripe.com", "/v1/x")).rule())
                .isEqualTo("*.stripe.com");
    }

    @Test
    void refusesAnEmptyAllowlist() {
        assertThatThrownBy(() -> new AllowlistConfig(null, null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("an allowlist needs at least one entry in 'hosts' or 'rules'")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts");
        assertThatThrownBy(() -> new AllowlistConfig(List.of(), List.of()))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void namesTheBadEntry() {
        assertThatThrownBy(() -> AllowlistConfig.ofHosts("api.stripe.com", "*.twilio.com", "0x7f.1"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'0x7f.1' is not a valid host pattern: an IPv4 address must be written as four decimal "
                        + "numbers")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts[2]");
        assertThatThrownBy(() -> new AllowlistConfig(null, List.of(
                RuleConfig.host("a.example"), new RuleConfig("b.example", null, null, List.of("v1")))))
                .hasMessage("'v1' is not a valid path prefix: the path does not start with '/'")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("rules[1].paths[0]");
        assertThatThrownBy(() -> new AllowlistConfig(Arrays.asList("a.example", null), null))
                .hasMessage("must not be null")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts[1]");
    }

    @Test
    void describesItself() {
        assertThat(factory.name()).isEqualTo("allowlist");
        assertThat(factory.configType()).isEqualTo(AllowlistConfig.class);
        assertThat(allowlist(List.of("api.stripe.com"), null).toString()).isEqualTo("allowlist[api.stripe.com]");
    }
}
