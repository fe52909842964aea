package dev.chaperone.server.bypass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credential leakage: an injected secret (added, as header-injection does, only to requests for
 * {@code api.example.test}) must reach that host and nothing else: not another host, not a redirect target,
 * not the sandbox's answers, not the audit records; and the sandbox's own proxy token never leaves the proxy.
 * Each row runs through a tunnel and as a plain request.
 */
class CredentialLeakBypassIT {

    private static final String SECRET = "sk_live_7f3a9c1e5b2d4f60";

    @TempDir
    static Path workDir;

    static BypassHarness harness;
    static ProxyFixture.Credentials box;

    enum Mode { TUNNEL, PLAIN }

    /** One row: sends through the proxy, asserts, and returns the answer for the checks every row shares. */
    @FunctionalInterface
    interface Scenario {
        BypassHarness.Outcome run(Mode mode) throws Exception;
    }

    @BeforeAll
    static void start() throws Exception {
        harness = BypassHarness.start(workDir, UnaryOperator.identity());
        box = harness.proxy.register("secrets", ProxyToken.generate(), Map.of("api", SECRET),
                injectFor("api.example.test"), TestFilters.allowAll());
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @BeforeEach
    void resetUpstream() {
        harness.upstream.reset();
    }

    /** Sets {@code Authorization: Bearer <secret api>} on requests for {@code host}, as header-injection does. */
    private static Filter injectFor(String host) {
        return new Filter() {
            @Override
            public Decision onRequest(FilterRequest request) {
                if (request.host().equals(host)) {
                    request.headers().set("Authorization", "Bearer " + request.secrets().get("api").orElseThrow());
                }
                return Decision.proceed();
            }

            @Override
            public Set<String> headerSecrets() {
                return Set.of("api");
            }
        };
    }

    static Stream<Arguments> rows() {
        List<Object[]> table = new ArrayList<>();
        table.add(row("iron-proxy/tokenizer: header injection to another host", mode -> {
            BypassHarness.Outcome outcome = get(mode, "other.example.test", "/x", "");
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(harness.assertUpstreamReceivedOne().header("authorization")).isNull();
            return outcome;
        }));
        table.add(row("injection reaches the host its rule names, once", mode -> {
            BypassHarness.Outcome outcome = get(mode, "api.example.test", "/x", "Authorization: Bearer mine\r\n");
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(harness.assertUpstreamReceivedOne().headers().get("authorization"))
                    .containsExactly("Bearer " + SECRET);
            return outcome;
        }));
        table.add(row("redirect to another host is returned, never followed with the credential", mode -> {
            String location = "https://" + harness.httpsAuthority("other.example.test") + "/landing";
            BypassHarness.Outcome outcome = get(mode, "api.example.test", "/redirect?" + location, "");
            assertThat(outcome.status()).isEqualTo(302);
            assertThat(outcome.head()).contains("Location: " + location);
            assertThat(harness.assertUpstreamReceivedOne().uri()).startsWith("/redirect");
            return outcome;
        }));
        table.add(row("redirect to the metadata address is returned, never followed", mode -> {
            BypassHarness.Outcome outcome = get(mode, "api.example.test",
                    "/redirect?http://169.254.169.254/latest/meta-data/", "");
            assertThat(outcome.status()).isEqualTo(302);
            assertThat(harness.assertUpstreamReceivedOne().uri()).startsWith("/redirect");
            return outcome;
        }));
        table.add(row("hop-by-hop abuse: Connection naming Authorization does not strip or duplicate it", mode -> {
            BypassHarness.Outcome outcome = get(mode, "api.example.test", "/x", "Connection: Authorization\r\n");
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(harness.assertUpstreamReceivedOne().headers().get("authorization"))
                    .containsExactly("Bearer " + SECRET);
            return outcome;
        }));
        table.add(row("hop-by-hop abuse: Connection naming Host does not change the target", mode -> {
            BypassHarness.Outcome outcome = get(mode, "other.example.test", "/x", "Connection: Host\r\n");
            assertThat(outcome.status()).isEqualTo(200);
            BypassUpstream.Received received = harness.assertUpstreamReceivedOne();
            assertThat(received.header("authorization")).isNull();
            assertThat(received.authority()).startsWith("other.example.test:");
            return outcome;
        }));
        table.add(row("the proxy token never goes upstream", mode -> {
            BypassHarness.Outcome outcome = get(mode, "other.example.test", "/x",
                    "Proxy-Authorization: " + box.proxyAuthorization() + "\r\n");
            assertThat(outcome.status()).isEqualTo(200);
            BypassUpstream.Received received = harness.assertUpstreamReceivedOne();
            assertThat(received.header("proxy-authorization")).isNull();
            assertThat(received.headers().toString()).doesNotContain(box.token());
            return outcome;
        }));
        table.add(row("an echoing upstream is the only one that sees the secret", mode -> {
            BypassHarness.Outcome outcome = get(mode, "other.example.test", "/echo", "");
            assertThat(outcome.status()).isEqualTo(200);
            assertThat(outcome.body()).doesNotContain(SECRET);
            return outcome;
        }));
        table.add(row("a 421 answer never carries the credential", mode -> {
            BypassHarness.Outcome outcome = mode == Mode.TUNNEL
                    ? harness.tunnel(box, harness.httpsAuthority("api.example.test"), "api.example.test",
                            "GET /x HTTP/1.1\r\nHost: " + harness.httpsAuthority("other.example.test") + "\r\n\r\n")
                    : get(mode, "api.example.test", "/x", "Host: other.example.test\r\n");
            assertThat(outcome.isErrorOrClose()).isTrue();
            harness.assertUpstreamReceivedNothing();
            return outcome;
        }));
        table.add(row("a 502 answer for an unresolvable host never carries the credential", mode -> {
            BypassHarness.Outcome outcome = get(mode, "unresolvable.example.test", "/x", "");
            assertThat(outcome.status()).isEqualTo(502);
            harness.assertUpstreamReceivedNothing();
            return outcome;
        }));
        table.add(row("a 400 answer for a malformed header never echoes the credential", mode -> {
            BypassHarness.Outcome outcome = get(mode, "api.example.test", "/x",
                    "X-Bad: " + SECRET + "\u0000\r\n");
            assertThat(outcome.isErrorOrClose()).isTrue();
            harness.assertUpstreamReceivedNothing();
            return outcome;
        }));
        List<Arguments> arguments = new ArrayList<>();
        for (Object[] row : table) {
            for (Mode mode : Mode.values()) {
                arguments.add(Arguments.of(row[0], mode, row[1]));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("rows")
    void theInjectedSecretReachesOnlyItsHost(String name, Mode mode, Scenario scenario) throws Exception {
        int recordsBefore = harness.proxy.listener().exchanges().size();

        BypassHarness.Outcome outcome = scenario.run(mode);

        assertThat(outcome.head() + outcome.body()).doesNotContain(SECRET).doesNotContain(box.token());
        harness.proxy.listener().awaitExchange(record -> true);
        for (int i = 0; i < 500 && harness.proxy.listener().exchanges().size() <= recordsBefore; i++) {
            Thread.sleep(10);
        }
        assertThat(harness.proxy.listener().exchanges().toString()).doesNotContain(SECRET)
                .doesNotContain(box.token());
    }

    /** A GET to {@code host} (upstream port for the mode) with extra header lines. */
    private static BypassHarness.Outcome get(Mode mode, String host, String path, String fields) throws Exception {
        if (mode == Mode.TUNNEL) {
            String authority = harness.httpsAuthority(host);
            return harness.tunnel(box, authority, host, "GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                    + fields + "\r\n");
        }
        String authority = harness.httpAuthority(host);
        return harness.plain("GET http://" + authority + path + " HTTP/1.1\r\nHost: " + authority
                + "\r\nProxy-Authorization: " + box.proxyAuthorization() + "\r\n" + fields + "\r\n");
    }

    private static Object[] row(String name, Scenario scenario) {
        return new Object[] {name, scenario};
    }
}
