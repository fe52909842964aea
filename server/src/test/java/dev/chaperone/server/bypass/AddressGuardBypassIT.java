package dev.chaperone.server.bypass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestFilters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-side request forgery through the proxy: names whose DNS answers are private, mixed or rebinding,
 * IP literals in every spelling, and the proxy's own listener. The chain allows everything except
 * {@code denied.example.test} and names under {@code attacker.example}, so only the address guard stands
 * between the sandbox and the target; a host the chain refuses must never even be looked up. Each row runs
 * through a tunnel and as a plain request.
 */
class AddressGuardBypassIT {

    @TempDir
    static Path workDir;

    static BypassHarness harness;
    static ProxyFixture.Credentials box;

    enum Mode { TUNNEL, PLAIN }

    @BeforeAll
    static void start() throws Exception {
        harness = BypassHarness.start(workDir, UnaryOperator.identity());
        box = harness.proxy.register("guard", TestFilters.denyHost("denied.example.test"),
                TestFilters.denyHost("exfil-c2vjcmv0.attacker.example"), TestFilters.allowAll());
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @BeforeEach
    void resetUpstream() {
        harness.upstream.reset();
    }

    /** Names whose every answer the guard must refuse: {name, the addresses DNS gives for it}. */
    static Stream<Arguments> refusedAnswers() {
        List<Object[]> table = List.of(
                answer("169.254.169.254 metadata (AWS, GCP, Azure IMDS)", "169.254.169.254"),
                answer("169.254.170.2 ECS task metadata", "169.254.170.2"),
                answer("100.100.100.200 Alibaba metadata (CGNAT range)", "100.100.100.200"),
                answer("fd00:ec2::254 AWS IMDS over IPv6", "fd00:ec2::254"),
                answer("loopback 127.0.0.2 outside the allowed /32", "127.0.0.2"),
                answer("loopback 127.255.255.254", "127.255.255.254"),
                answer("RFC 1918 10.0.0.1", "10.0.0.1"),
                answer("RFC 1918 172.16.0.1", "172.16.0.1"),
                answer("RFC 1918 172.31.255.254", "172.31.255.254"),
                answer("RFC 1918 192.168.1.1", "192.168.1.1"),
                answer("CGNAT 100.64.0.1", "100.64.0.1"),
                answer("unspecified 0.0.0.0 (reaches localhost on Linux)", "0.0.0.0"),
                answer("this network 0.1.2.3", "0.1.2.3"),
                answer("multicast 224.0.0.1", "224.0.0.1"),
                answer("broadcast 255.255.255.255", "255.255.255.255"),
                answer("reserved 240.0.0.1", "240.0.0.1"),
                answer("benchmarking 198.18.0.1", "198.18.0.1"),
                answer("documentation 192.0.2.1", "192.0.2.1"),
                answer("documentation 198.51.100.1", "198.51.100.1"),
                answer("documentation 203.0.113.1", "203.0.113.1"),
                answer("IETF protocol assignments 192.0.0.1", "192.0.0.1"),
                answer("IPv6 loopback ::1", "::1"),
                answer("IPv6 unspecified ::", "::"),
                answer("IPv6 unique local fc00::1", "fc00::1"),
                answer("IPv6 link-local fe80::1", "fe80::1"),
                answer("IPv6 multicast ff02::1", "ff02::1"),
                answer("IPv6 documentation 2001:db8::1", "2001:db8::1"),
                answer("smokescreen: IPv4-mapped IPv6 bypass ::ffff:169.254.169.254", "::ffff:169.254.169.254"),
                answer("smokescreen: IPv4-mapped IPv6 bypass ::ffff:127.0.0.2", "::ffff:127.0.0.2"),
                answer("IPv4-compatible IPv6 ::10.0.0.1", "::10.0.0.1"),
                answer("NAT64 64:ff9b::a9fe:a9fe (169.254.169.254)", "64:ff9b::a9fe:a9fe"),
                answer("6to4 2002:a9fe:a9fe:: (169.254.169.254)", "2002:a9fe:a9fe::1"),
                answer("6to4 2002:7f00:2:: (127.0.0.2)", "2002:7f00:2::1"),
                answer("Teredo 2001:0:: wrapping a private server", "2001:0:4136:e378:8000:63bf:f5ff:fffe"),
                answer("mixed answer: public first, private second", "93.184.216.34", "10.0.0.1"),
                answer("mixed answer: private first, public second", "10.0.0.1", "93.184.216.34"),
                answer("mixed answer: allowed loopback with metadata", "127.0.0.1", "169.254.169.254"),
                answer("mixed answer: IPv4 public with IPv6 loopback", "93.184.216.34", "::1"));
        List<Arguments> arguments = new ArrayList<>();
        int index = 0;
        for (Object[] row : table) {
            for (Mode mode : Mode.values()) {
                arguments.add(Arguments.of(row[0], mode, "ssrf-" + index++ + ".example.test", row[1]));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("refusedAnswers")
    void namesResolvingOutsideThePublicInternetAreRefused(String name, Mode mode, String host, String[] addresses)
            throws Exception {
        harness.dns.answer(host, addresses);

        BypassHarness.Outcome outcome = request(mode, host, host);

        assertThat(outcome.status()).isEqualTo(403);
        assertThat(outcome.body()).contains("\"error\":\"address_denied\"");
        harness.assertUpstreamReceivedNothing();
    }

    /** IP literals and odd spellings of them, as the CONNECT or absolute-form target. */
    static Stream<Arguments> literalTargets() {
        List<String[]> table = List.of(
                literal("169.254.169.254 metadata as a literal", "169.254.169.254"),
                literal("decimal/octal/hex IP: decimal 2852039166", "2852039166"),
                literal("decimal/octal/hex IP: hex 0xa9fea9fe", "0xa9fea9fe"),
                literal("decimal/octal/hex IP: dotted hex 0xa9.0xfe.0xa9.0xfe", "0xa9.0xfe.0xa9.0xfe"),
                literal("decimal/octal/hex IP: octal 0251.0376.0251.0376", "0251.0376.0251.0376"),
                literal("decimal/octal/hex IP: zero-padded 127.000.000.002", "127.000.000.002"),
                literal("decimal/octal/hex IP: short form 127.2", "127.2"),
                literal("decimal/octal/hex IP: short form 10.1", "10.1"),
                literal("loopback 127.0.0.2 literal", "127.0.0.2"),
                literal("RFC 1918 10.0.0.1 literal", "10.0.0.1"),
                literal("unspecified 0.0.0.0 literal", "0.0.0.0"),
                literal("unspecified 0 literal", "0"),
                literal("IPv6 loopback [::1]", "[::1]"),
                literal("IPv6 unspecified [::]", "[::]"),
                literal("smokescreen: IPv4-mapped IPv6 literal [::ffff:169.254.169.254]", "[::ffff:169.254.169.254]"),
                literal("smokescreen: IPv4-mapped IPv6 hex literal [::ffff:a9fe:a9fe]", "[::ffff:a9fe:a9fe]"),
                literal("IPv6 zone id [fe80::1%25eth0]", "[fe80::1%25eth0]"),
                literal("NAT64 literal [64:ff9b::7f00:2]", "[64:ff9b::7f00:2]"),
                literal("trailing dot on an IP literal 127.0.0.2.", "127.0.0.2."));
        List<Arguments> arguments = new ArrayList<>();
        for (String[] row : table) {
            for (Mode mode : Mode.values()) {
                arguments.add(Arguments.of(row[0], mode, row[1]));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("literalTargets")
    void ipLiteralsOutsideThePublicInternetAreRefusedInEverySpelling(String name, Mode mode, String host)
            throws Exception {
        BypassHarness.Outcome outcome = request(mode, host, null);

        assertThat(outcome.status()).as(outcome.body()).isIn(400, 403);
        harness.assertUpstreamReceivedNothing();
    }

    /** Targets that the chain refuses: their names must never reach DNS, whatever the spelling. */
    static Stream<Arguments> refusedNames() {
        List<String[]> table = List.of(
                literal("DNS exfiltration: refused name is never resolved", "exfil-c2VjcmV0.attacker.example"),
                literal("DNS exfiltration: upper-case spelling of a refused name", "EXFIL-c2VjcmV0.Attacker.Example"),
                literal("DNS exfiltration: trailing dot on a refused name", "exfil-c2VjcmV0.attacker.example."),
                literal("denylist: refused test host is never resolved", "denied.example.test"),
                literal("denylist: refused test host, upper case", "DENIED.example.test"));
        List<Arguments> arguments = new ArrayList<>();
        for (String[] row : table) {
            for (Mode mode : Mode.values()) {
                arguments.add(Arguments.of(row[0], mode, row[1]));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("refusedNames")
    void aHostTheChainRefusesIsNeverResolved(String name, Mode mode, String host) throws Exception {
        BypassHarness.Outcome outcome = request(mode, host, null);

        assertThat(outcome.status()).isIn(400, 403);
        assertThat(outcome.body()).doesNotContain("address_denied");
        assertThat(harness.dns.names()).noneMatch(asked -> asked.toLowerCase(Locale.ROOT).contains("attacker")
                || asked.toLowerCase(Locale.ROOT).startsWith("denied"));
        harness.assertUpstreamReceivedNothing();
    }

    static Stream<Arguments> modes() {
        return Stream.of(Arguments.of(Mode.TUNNEL), Arguments.of(Mode.PLAIN));
    }

    @ParameterizedTest(name = "DNS rebinding TTL 0: public-looking first answer is the one connected to [{0}]")
    @MethodSource("modes")
    void dnsRebindingCannotSwapTheCheckedAddress(Mode mode) throws Exception {
        String host = "rebind-" + mode.name().toLowerCase(Locale.ROOT) + ".example.test";
        harness.dns.answer(host, "127.0.0.1").answer(host, "169.254.169.254");

        BypassHarness.Outcome outcome = request(mode, host, host);

        assertThat(outcome.status()).isEqualTo(200);
        harness.assertUpstreamReceivedOne();
        assertThat(harness.dns.names()).filteredOn(host::equals).hasSize(1);
    }

    @ParameterizedTest(name = "DNS rebinding TTL 0: private first answer is refused whatever follows [{0}]")
    @MethodSource("modes")
    void dnsRebindingWithAPrivateFirstAnswerIsRefused(Mode mode) throws Exception {
        String host = "rebind-first-private-" + mode.name().toLowerCase(Locale.ROOT) + ".example.test";
        harness.dns.answer(host, "169.254.169.254").answer(host, "127.0.0.1");

        BypassHarness.Outcome outcome = request(mode, host, host);

        assertThat(outcome.status()).isEqualTo(403);
        harness.assertUpstreamReceivedNothing();
    }

    @ParameterizedTest(name = "CONNECT to proxy itself: the proxy's own listener is never a target [{0}]")
    @MethodSource("modes")
    void theProxysOwnListenerIsNeverATarget(Mode mode) throws Exception {
        String authority = "127.0.0.1:" + harness.proxy.port();
        BypassHarness.Outcome outcome = mode == Mode.TUNNEL
                ? harness.tunnel(box, authority, null, "GET / HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                : harness.plain("GET http://" + authority + "/ HTTP/1.1\r\nHost: " + authority
                        + "\r\nProxy-Authorization: " + box.proxyAuthorization() + "\r\n\r\n");

        assertThat(outcome.status()).isEqualTo(403);
        assertThat(outcome.body()).contains("address_denied");
        harness.assertUpstreamReceivedNothing();
    }

    @ParameterizedTest(name = "allow-private 127.0.0.1/32: a name resolving there still works [{0}]")
    @MethodSource("modes")
    void aNameResolvingIntoAnAllowedNetworkIsReached(Mode mode) throws Exception {
        BypassHarness.Outcome outcome = request(mode, "api.example.test", "api.example.test");

        assertThat(outcome.status()).isEqualTo(200);
        harness.assertUpstreamReceivedOne();
    }

    /**
     * One request to {@code host} on the upstream's port for the mode: a tunnel (handshaking with
     * {@code sni}, none when {@code null}) or a plain absolute-form request.
     */
    private static BypassHarness.Outcome request(Mode mode, String host, String sni) throws Exception {
        if (mode == Mode.TUNNEL) {
            String authority = host + ":" + harness.upstream.httpsPort();
            return harness.tunnel(box, authority, sni, "GET /x HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        }
        String authority = host + ":" + harness.upstream.httpPort();
        return harness.plain("GET http://" + authority + "/x HTTP/1.1\r\nHost: " + authority
                + "\r\nProxy-Authorization: " + box.proxyAuthorization() + "\r\n\r\n");
    }

    private static Object[] answer(String name, String... addresses) {
        return new Object[] {name, addresses};
    }

    private static String[] literal(String name, String host) {
        return new String[] {name, host};
    }
}
