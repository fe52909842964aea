package dev.chaperone.plugins;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.chaperone.plugins.allowlist.AllowlistConfig;
import dev.chaperone.plugins.allowlist.AllowlistFilterFactory;
import dev.chaperone.plugins.denylist.DenylistConfig;
import dev.chaperone.plugins.denylist.DenylistFilterFactory;
import dev.chaperone.plugins.matching.RuleConfig;
import dev.chaperone.plugins.testing.Filters;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.HostNames;
import dev.chaperone.spi.HttpPaths;
import dev.chaperone.spi.testing.FakeConnectRequest;
import dev.chaperone.spi.testing.FakeFilterRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile spellings of hosts and paths, each with the outcome a sandbox gets, run the way the server runs
 * them: the host and path are normalised (a refusal there is {@code bad host} or {@code bad path}), then the
 * filter decides at connect time and per request.
 */
class HostileSpellingTest {

    private static final Filter ALLOWLIST = Filters.create(new AllowlistFilterFactory(), new AllowlistConfig(
            List.of("api.stripe.com", "*.twilio.com", "10.0.0.0/8", "2001:db8::/32", "203.0.113.7",
                    "xn--bcher-kva.example"),
            List.of(new RuleConfig("api.example.com", null, null, List.of("/v1/charges")))));

    private static final Filter DENYLIST = Filters.create(new DenylistFilterFactory(), new DenylistConfig(
            List.of("169.254.169.254", "127.0.0.0/8", "::1", "fd00::/8", "*.internal.example",
                    "metadata.google.internal"),
            List.of(new RuleConfig("api.example.com", null, null, List.of("/admin")))));

    @ParameterizedTest(name = "allowlist {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // case, trailing dots and look-alike names
            "api.stripe.com | / | allow api.stripe.com",
            "API.STRIPE.COM | / | allow api.stripe.com",
            "Api.Stripe.Com. | / | allow api.stripe.com",
            "api.stripe.com.. | / | bad host",
            "api.stripe.com.evil.com | / | deny@connect host_not_allowed",
            "evil-api.stripe.com | / | deny@connect host_not_allowed",
            "stripe.com | / | deny@connect host_not_allowed",
            "x.api.stripe.com | / | deny@connect host_not_allowed",
            "api.stripe.co | / | deny@connect host_not_allowed",
            // IDN homographs and non-ASCII spellings
            "\u0430pi.stripe.com | / | deny@connect host_not_allowed",
            "api.str\u0456pe.com | / | deny@connect host_not_allowed",
            "xn--pi-6kc.stripe.com | / | deny@connect host_not_allowed",
            "\uFF41pi.stripe.com | / | bad host",
            "api.stri\u00ADpe.com | / | bad host",
            "api\u3002stripe\u3002com | / | bad host",
            "b\u00FCcher.example | / | allow xn--bcher-kva.example",
            "B\u00DCCHER.EXAMPLE | / | allow xn--bcher-kva.example",
            "bucher.example | / | deny@connect host_not_allowed",
            // URL parts smuggled into the host
            "api.stripe.com:443 | / | bad host",
            "user@api.stripe.com | / | bad host",
            "api.stripe.com@evil.com | / | bad host",
            "api.stripe.com#.evil.com | / | bad host",
            "api.stripe.com%2f.evil.com | / | bad host",
            "api.stripe.com\\.evil.com | / | bad host",
            "'api.stripe.com ' | / | bad host",
            "api.stripe.com\u0000.evil.com | / | bad host",
            // wildcard edges
            "api.twilio.com | / | allow *.twilio.com",
            "a.b.c.twilio.com | / | allow *.twilio.com",
            "API.TWILIO.COM. | / | allow *.twilio.com",
            "twilio.com | / | deny@connect host_not_allowed",
            "twilio.com.evil.com | / | deny@connect host_not_allowed",
            "eviltwilio.com | / | deny@connect host_not_allowed",
            "api-twilio.com | / | deny@connect host_not_allowed",
            "api.twilio.com.evil | / | deny@connect host_not_allowed",
            "api.tw\u0456lio.com | / | deny@connect host_not_allowed",
            "*.twilio.com | / | bad host",
            ".twilio.com | / | bad host",
            // IPv4 encodings
            "10.1.2.3 | / | allow 10.0.0.0/8",
            "10.1.2.3. | / | allow 10.0.0.0/8",
            "010.1.2.3 | / | bad host",
            "10.1.2 | / | bad host",
            "167838211 | / | bad host",
            "0xa.1.2.3 | / | bad host",
            "0x0a010203 | / | bad host",
            "11.0.0.1 | / | deny@connect host_not_allowed",
            "203.0.113.7 | / | allow 203.0.113.7",
            "203.0.113.07 | / | bad host",
            "[10.1.2.3] | / | bad host",
            "\uFF11\uFF10.1.2.3 | / | bad host",
            // IPv6 forms
            "::ffff:10.1.2.3 | / | allow 10.0.0.0/8",
            "[::ffff:a01:203] | / | allow 10.0.0.0/8",
            "[2001:db8::1] | / | allow 2001:db8::/32",
            "2001:DB8:0:0:0:0:0:1 | / | allow 2001:db8::/32",
            "[2001:0db8::0001] | / | allow 2001:db8::/32",
            "2001:db8::1:443 | / | allow 2001:db8::/32",
            "[2001:db9::1] | / | deny@connect host_not_allowed",
            "[fe80::1%25eth0] | / | bad host",
            "[[2001:db8::1]] | / | bad host",
            "[::1] | / | deny@connect host_not_allowed",
            "127.0.0.1 | / | deny@connect host_not_allowed",
            // paths under a prefix rule
            "api.example.com | /v1/charges | allow api.example.com paths=/v1/charges",
            "api.example.com | /v1/charges/ch_1 | allow api.example.com paths=/v1/charges",
            "api.example.com | /./v1/charges | allow api.example.com paths=/v1/charges",
            "api.example.com | /v1/%63harges | allow api.example.com paths=/v1/charges",
            "api.example.com | /v1/charges/%2E%2E/%2E%2E/v1/charges | allow api.example.com paths=/v1/charges",
            "api.example.com | /v1/chargesX | deny path_not_allowed",
            "api.example.com | /v1/charges/../admin | deny path_not_allowed",
            "api.example.com | /v1/charges/%2e%2e/admin | deny path_not_allowed",
            "api.example.com | /V1/CHARGES | deny path_not_allowed",
            "api.example.com | /v1//charges | deny path_not_allowed",
            "api.example.com | /v1/charges;x=1 | deny path_not_allowed",
            "api.example.com | /v1/charges%2Fx | deny path_not_allowed",
            "api.example.com | /v1/charges/..%2fadmin | bad path",
            "api.example.com | /v1/charges/..;/admin | bad path",
            "api.example.com | /v1/charges/%252e%252e/admin | bad path",
            "api.example.com | /v1/charges%2f..%2fadmin | bad path",
            "api.example.com | /v1/charges/..\\admin | bad path",
            "api.example.com | /v1/charges/%c0%ae%c0%ae/admin | bad path",
            "api.example.com | /v1/charges%00 | bad path",
            "api.example.com | v1/charges | bad path",
    })
    void allowlistDecides(String host, String path, String expected) {
        assertThat(outcome(ALLOWLIST, host, path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "denylist {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "169.254.169.254 | / | deny@connect host_denied 169.254.169.254",
            "169.254.43518 | / | bad host",
            "2852039166 | / | bad host",
            "0xa9.0xfe.0xa9.0xfe | / | bad host",
            "0251.0376.0251.0376 | / | bad host",
            "[::ffff:169.254.169.254] | / | deny@connect host_denied 169.254.169.254",
            "[::ffff:a9fe:a9fe] | / | deny@connect host_denied 169.254.169.254",
            "127.0.0.1 | / | deny@connect host_denied 127.0.0.0/8",
            "127.255.0.9 | / | deny@connect host_denied 127.0.0.0/8",
            "127.1 | / | bad host",
            "[::1] | / | deny@connect host_denied ::1",
            "[0:0:0:0:0:0:0:1] | / | deny@connect host_denied ::1",
            "[fd12::1] | / | deny@connect host_denied fd00::/8",
            "db.internal.example | / | deny@connect host_denied *.internal.example",
            "DB.INTERNAL.EXAMPLE. | / | deny@connect host_denied *.internal.example",
            "internal.example | / | proceed",
            "internal.example.attacker.com | / | proceed",
            "metadata.google.internal | / | deny@connect host_denied metadata.google.internal",
            "METADATA.google.internal. | / | deny@connect host_denied metadata.google.internal",
            "api.example.com | /admin | deny path_denied api.example.com paths=/admin",
            "api.example.com | /ADMIN | deny path_denied api.example.com paths=/admin",
            "api.example.com | /admin;x=1 | deny path_denied api.example.com paths=/admin",
            "api.example.com | //admin | deny path_denied api.example.com paths=/admin",
            "api.example.com | /x/../admin | deny path_denied api.example.com paths=/admin",
            "api.example.com | /%61dmin | deny path_denied api.example.com paths=/admin",
            "api.example.com | /admin%2fusers | deny path_denied api.example.com paths=/admin",
            "api.example.com | /admin/..;/x | bad path",
            "api.example.com | /public | proceed",
    })
    void denylistDecides(String host, String path, String expected) {
        assertThat(outcome(DENYLIST, host, path)).isEqualTo(expected);
    }

    /** What the sandbox gets for a GET of {@code https://host/path} through a chain of this one filter. */
    private static String outcome(Filter filter, String rawHost, String rawPath) {
        String host;
        try {
            host = HostNames.normalize(rawHost);
        } catch (IllegalArgumentException e) {
            return "bad host";
        }
        Decision connect = filter.onConnect(new FakeConnectRequest("sandbox-1", host, 443, true));
        if (connect.kind() == Decision.Kind.RESPOND) {
            return "deny@connect " + describe(connect);
        }
        try {
            HttpPaths.normalize(rawPath);
        } catch (IllegalArgumentException e) {
            return "bad path";
        }
        Decision decision = filter.onRequest(FakeFilterRequest.of("GET", "https", rawHost, 443, rawPath));
        return switch (decision.kind()) {
            case PROCEED -> "proceed";
            case ALLOW -> "allow " + decision.rule();
            case RESPOND -> "deny " + describe(decision);
        };
    }

    private static String describe(Decision answer) {
        assertThat(answer.status()).isEqualTo(403);
        return answer.rule() == null ? answer.reason() : answer.reason() + " " + answer.rule();
    }
}
