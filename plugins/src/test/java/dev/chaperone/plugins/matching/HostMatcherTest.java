package dev.chaperone.plugins.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.HostNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostMatcherTest {

    private static HostMatcher matcher(String... hosts) {
        return HostMatcher.of(HostRules.parse(List.of(hosts), List.of()));
    }

    private static String match(HostMatcher matcher, String host, int port) {
        return matcher.find(host, port).map(HostRule::source).orElse(null);
    }

    @Test
    void wildcardCoversOneOrMoreLabelsBelowItsDomainOnly() {
        HostMatcher matcher = matcher("*.twilio.com");
        assertThat(match(matcher, "api.twilio.com", 443)).isEqualTo("*.twilio.com");
        assertThat(match(matcher, "a.b.c.twilio.com", 443)).isEqualTo("*.twilio.com");
        assertThat(match(matcher, "twilio.com", 443)).isNull();
        assertThat(match(matcher, "twilio.com.evil.com", 443)).isNull();
        assertThat(match(matcher, "eviltwilio.com", 443)).isNull();
        assertThat(match(matcher, "api.twilio.co", 443)).isNull();
    }

    @Test
    void apexMatchesWhenListedBesideItsWildcard() {
        HostMatcher matcher = matcher("*.twilio.com", "twilio.com");
        assertThat(match(matcher, "twilio.com", 443)).isEqualTo("twilio.com");
        assertThat(match(matcher, "api.twilio.com", 443)).isEqualTo("*.twilio.com");
    }

    @Test
    void exactHostMatchesItselfOnly() {
        HostMatcher matcher = matcher("api.stripe.com");
        assertThat(match(matcher, "api.stripe.com", 443)).isEqualTo("api.stripe.com");
        assertThat(match(matcher, "x.api.stripe.com", 443)).isNull();
        assertThat(match(matcher, "stripe.com", 443)).isNull();
    }

    @Test
    void portsLimitWhereTheyAreWritten() {
        HostMatcher matcher = matcher("api.stripe.com:443", "*.twilio.com:8443");
        assertThat(match(matcher, "api.stripe.com", 443)).isEqualTo("api.stripe.com:443");
        assertThat(match(matcher, "api.stripe.com", 8443)).isNull();
        assertThat(match(matcher, "api.twilio.com", 8443)).isEqualTo("*.twilio.com:8443");
        assertThat(match(matcher, "api.twilio.com", 443)).isNull();
    }

    @Test
    void cidrBlocksCoverTheirAddressesOnly() {
        HostMatcher matcher = matcher("10.0.0.0/8", "192.168.1.0/24", "203.0.113.7", "2001:db8::/32", "::1");
        assertThat(match(matcher, "10.255.1.2", 443)).isEqualTo("10.0.0.0/8");
        assertThat(match(matcher, "11.0.0.1", 443)).isNull();
        assertThat(match(matcher, "192.168.1.200", 443)).isEqualTo("192.168.1.0/24");
        assertThat(match(matcher, "192.168.2.1", 443)).isNull();
        assertThat(match(matcher, "203.0.113.7", 443)).isEqualTo("203.0.113.7");
        assertThat(match(matcher, "203.0.113.8", 443)).isNull();
        assertThat(match(matcher, "2001:db8:ffff::1", 443)).isEqualTo("2001:db8::/32");
        assertThat(match(matcher, "2001:db9::1", 443)).isNull();
        assertThat(match(matcher, "::1", 443)).isEqualTo("::1");
        assertThat(match(matcher, "::2", 443)).isNull();
    }

    @Test
    void ipv4MappedIpv6AddressesAreJudgedByIpv4Rules() {
        HostMatcher matcher = matcher("10.0.0.0/8");
        assertThat(match(matcher, "::ffff:a00:1", 443)).isEqualTo("10.0.0.0/8");
        assertThat(match(matcher, "::ffff:b00:1", 443)).isNull();
    }

    @Test
    void ipv4MappedRulesJudgePlainIpv4Hosts() {
        HostMatcher matcher = matcher("::ffff:10.0.0.0/104", "::ffff:192.0.2.1");
        assertThat(match(matcher, "10.9.8.7", 443)).isEqualTo("::ffff:10.0.0.0/104");
        assertThat(match(matcher, "::ffff:a09:807", 443)).isEqualTo("::ffff:10.0.0.0/104");
        assertThat(match(matcher, "192.0.2.1", 443)).isEqualTo("::ffff:192.0.2.1");
        assertThat(match(matcher, "11.0.0.1", 443)).isNull();
    }

    @Test
    void prefixLengthsAtTheEdgesWork() {
        HostMatcher matcher = matcher("0.0.0.0/0", "::/0");
        assertThat(match(matcher, "8.8.8.8", 443)).isEqualTo("0.0.0.0/0");
        assertThat(match(matcher, "2606:4700::1", 443)).isEqualTo("::/0");
        assertThat(match(matcher("2001:db8::8000:0/97"), "2001:db8::8000:1", 443)).isEqualTo("2001:db8::8000:0/97");
        assertThat(match(matcher("2001:db8::8000:0/97"), "2001:db8::7fff:1", 443)).isNull();
        assertThat(match(matcher("2001:db8:0:0:8000::/65"), "2001:db8::8000:0:0:1", 443)).isNotNull();
        assertThat(match(matcher("2001:db8:0:0:8000::/65"), "2001:db8::1", 443)).isNull();
    }

    @Test
    void namesNeverMatchAddressRulesNorTheOtherWayRound() {
        HostMatcher matcher = matcher("10.0.0.0/8", "*.example.com");
        assertThat(match(matcher, "10.example.com", 443)).isEqualTo("*.example.com");
        assertThat(match(matcher, "example.com", 443)).isNull();
        assertThat(match(matcher("localhost"), "127.0.0.1", 443)).isNull();
    }

    @Test
    void firstRuleWrittenWinsAcrossKinds() {
        HostMatcher matcher = matcher("*.example.com", "api.example.com");
        assertThat(match(matcher, "api.example.com", 443)).isEqualTo("*.example.com");
        HostMatcher reversed = matcher("api.example.com", "*.example.com");
        assertThat(match(reversed, "api.example.com", 443)).isEqualTo("api.example.com");
        HostMatcher nested = matcher("*.a.example.com", "*.example.com");
        assertThat(match(nested, "x.a.example.com", 443)).isEqualTo("*.a.example.com");
        HostMatcher blocks = matcher("10.1.0.0/16", "10.0.0.0/8");
        assertThat(match(blocks, "10.1.2.3", 443)).isEqualTo("10.1.0.0/16");
    }

    @Test
    void predicateSkipsRulesItRejects() {
        List<HostRule> rules = HostRules.parse(List.of(), List.of(
                new RuleConfig("api.example.com", null, List.of("GET"), null),
                new RuleConfig("*.example.com", null, List.of("POST"), null)));
        HostMatcher matcher = HostMatcher.of(rules);
        Optional<HostRule> post = matcher.find("api.example.com", 443, rule -> rule.matchesMethod("POST"));
        assertThat(post).map(HostRule::source).contains("*.example.com methods=POST");
        assertThat(matcher.find("api.example.com", 443, rule -> rule.matchesMethod("PUT"))).isEmpty();
    }

    @Test
    void findsAmongManyRules() {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            hosts.add("host" + i + ".example.com");
            hosts.add("*.zone" + i + ".example.net");
            hosts.add("10." + (i >> 8 & 0xff) + "." + (i & 0xff) + ".0/24");
        }
        HostMatcher matcher = HostMatcher.of(HostRules.parse(hosts, List.of()));
        assertThat(match(matcher, "host19999.example.com", 443)).isEqualTo("host19999.example.com");
        assertThat(match(matcher, "a.zone777.example.net", 443)).isEqualTo("*.zone777.example.net");
        assertThat(match(matcher, "10.78.31.9", 443)).isEqualTo("10.78.31.0/24");
        assertThat(match(matcher, "host20000.example.com", 443)).isNull();
        assertThat(match(matcher, "zone777.example.net", 443)).isNull();
    }

    @Test
    void namesTheFieldOfABadValue() {
        assertThatThrownBy(() -> HostRules.parse(List.of("a.example", "b.example", "127.1"), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'127.1' is not a valid host pattern: an IPv4 address must be written as four decimal "
                        + "numbers")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts[2]");
        assertThatThrownBy(() -> HostRules.parse(List.of(), List.of(new RuleConfig(null, null, null, null))))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("rules[0].host");
        assertThatThrownBy(() -> HostRules.parse(List.of(), List.of(
                RuleConfig.host("a.example"), new RuleConfig("b.example", List.of(443, 0), null, null))))
                .hasMessage("a port must be from 1 to 65535, not 0")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("rules[1].ports[1]");
        assertThatThrownBy(() -> HostRules.parse(List.of(), List.of(
                new RuleConfig("a.example", null, List.of("GET", "GE T"), null))))
                .hasMessage("'GE T' is not an HTTP method")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("rules[0].methods[1]");
        assertThatThrownBy(() -> HostRules.parse(List.of(), List.of(
                new RuleConfig("a.example", null, null, List.of("/v1/..;/admin")))))
                .hasMessageStartingWith("'/v1/..;/admin' is not a valid path prefix: ")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("rules[0].paths[0]");
        assertThatThrownBy(() -> new RuleConfig("a.example", null, null, Arrays.asList("/a", null)))
                .hasMessage("must not be null")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("paths[1]");
    }

    @Test
    void rulesAreNamedAsWrittenWithTheirLimits() {
        List<HostRule> rules = HostRules.parse(List.of("*.Twilio.com"), List.of(
                new RuleConfig("api.stripe.com:443", List.of(8443), List.of("get", "POST"), List.of("/v1/charges"))));
        assertThat(rules).extracting(HostRule::source)
                .containsExactly("*.Twilio.com", "api.stripe.com:443 ports=8443 methods=get,POST paths=/v1/charges");
        HostRule detailed = rules.get(1);
        assertThat(detailed.matchesPort(443)).isTrue();
        assertThat(detailed.matchesPort(8443)).isTrue();
        assertThat(detailed.matchesPort(80)).isFalse();
        assertThat(detailed.matchesMethod("GET")).isTrue();
        assertThat(detailed.matchesMethod("DELETE")).isFalse();
        assertThat(detailed.matchesPath("/v1/charges/ch_1")).isTrue();
        assertThat(detailed.matchesPath("/v1/chargesX")).isFalse();
    }

    @Test
    void tellsAddressesFromNamesLikeTheSpi() {
        for (String host : List.of("10.0.0.1", "2001:db8::1", "::ffff:a00:1", "api.stripe.com", "host1.example",
                "xn--p1ai", "a1.b2")) {
            assertThat(IpAddresses.isLiteral(host)).as(host).isEqualTo(HostNames.isIpLiteral(host));
        }
    }

    @Test
    void lenientPathsIgnoreCaseParametersAndExtraSlashes() {
        assertThat(HostRule.lenient("/Admin;x=1//Users%2fall")).isEqualTo("/admin/users/all");
        assertThat(HostRule.lenient("/")).isEqualTo("/");
        assertThat(HostRule.lenient("/a/")).isEqualTo("/a/");
    }
}
