package dev.chaperone.plugins;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chaperone.plugins.testing.CurlAnswer;
import dev.chaperone.plugins.testing.PluginProxy;
import dev.chaperone.server.audit.ExchangeRecord;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawTunnel;

import static dev.chaperone.plugins.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core promise through the real proxy, with the built-in plugins as production loads them: "this sandbox
 * can talk to Stripe and Twilio, with our key, at most so many requests, and nothing else".
 */
class BuiltInPluginsIT {

    private static final String SECRET = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
    private static final int BURST = 5;
    private static final ChainEntry[] CHAIN = {
        PluginProxy.entry("allowlist", """
                {"hosts": ["api.stripe.test", "*.twilio.test"]}"""),
        PluginProxy.entry("header-injection", """
                {"hosts": ["api.stripe.test"], "set": {"Authorization": "Bearer ${secret:stripe}"}}"""),
        // A bucket that refills once in 100 seconds, so the burst is all a test can spend.
        PluginProxy.entry("rate-limit", """
                {"requestsPerSecond": 0.01, "burst": %d}""".formatted(BURST)),
    };

    @RegisterExtension
    static final PluginProxy env = new PluginProxy();

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void allowsStripeLikeAndTwilioLikeHosts(String protocol) throws Exception {
        ProxyFixture.Credentials box = register("allowed" + suffix(protocol), Map.of("stripe", SECRET));

        CurlAnswer stripe = env.curl(box, protocol, env.https("api.stripe.test", "/v1/charges"));
        CurlAnswer twilio = env.curl(box, protocol, env.https("api.twilio.test", "/2010-04-01/Messages"));

        assertThat(stripe.status()).as(stripe.result().stderr()).isEqualTo(200);
        assertThat(stripe.body()).isEqualTo(PluginProxy.UPSTREAM_BODY);
        assertThat(twilio.status()).as(twilio.result().stderr()).isEqualTo(200);
        assertThat(env.received()).extracting(LoggedRequest::getUrl)
                .containsExactlyInAnyOrder("/v1/charges", "/2010-04-01/Messages");
        LoggedRequest toTwilio = receivedAt("/2010-04-01/Messages");
        assertThat(toTwilio.getHeaders().getHeader("Authorization").isPresent()).isFalse();
        ExchangeRecord record = env.proxy().listener().awaitExchange(r -> box.id().equals(r.instanceId())
                && "api.twilio.test".equals(r.host()));
        assertThat(record.decision()).isEqualTo("forwarded");
        assertThat(record.filter()).isEqualTo("allowlist");
        assertThat(record.rule()).isEqualTo("*.twilio.test");
        assertThat(record.protocol()).isEqualTo(protocol.equals("--http2") ? "HTTP/2" : "HTTP/1.1");
    }

    @Test
    void refusesAwsLikeHostAtConnectWithoutReachingTheUpstream() throws Exception {
        ProxyFixture.Credentials box = register("aws-refused", Map.of("stripe", SECRET));

        CurlAnswer curl = env.curl(box, env.https("sts.amazonaws.test", "/?Action=GetCallerIdentity"));
        RawTunnel.Reply connect;
        String authority = "sts.amazonaws.test:" + env.httpsPort();
        try (RawTunnel tunnel = RawTunnel.connect(env.proxy().port(), authority, box)) {
            connect = tunnel.connectReply();
        }

        assertThat(curl.exitCode()).as(curl.result().stderr()).isEqualTo(56);
        assertThat(curl.connectStatus()).isEqualTo(403);
        assertThat(connect.status()).isEqualTo(403);
        JsonNode body = new ObjectMapper().readTree(connect.body());
        assertThat(body.path("error").asText()).isEqualTo("egress_denied");
        assertThat(body.path("reason").asText()).isEqualTo("host_not_allowed");
        assertThat(body.path("filter").asText()).isEqualTo("allowlist");
        assertThat(body.path("host").asText()).isEqualTo("sts.amazonaws.test");
        assertThat(body.has("rule")).isFalse();
        assertThat(env.received()).isEmpty();
        ExchangeRecord record = env.proxy().listener().awaitExchange(r -> box.id().equals(r.instanceId()));
        assertThat(record.kind()).isEqualTo("connect");
        assertThat(record.decision()).isEqualTo("denied");
    }

    @Test
    void refusesAwsLikeHostAskedForInPlainHttp() throws Exception {
        ProxyFixture.Credentials box = register("aws-plain", Map.of("stripe", SECRET));

        CurlAnswer answer = env.curl(box, env.http("sts.amazonaws.test", "/?Action=GetCallerIdentity"));

        assertRefused(answer, 403, "egress_denied", "host_not_allowed", "allowlist", null, "sts.amazonaws.test");
        assertThat(env.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void injectsTheSecretUpstreamWithoutShowingItToTheClient(String protocol) throws Exception {
        ProxyFixture.Credentials box = register("inject" + suffix(protocol), Map.of("stripe", SECRET));

        CurlAnswer answer = env.curl(box, protocol, env.https("api.stripe.test", "/v1/charges"));

        assertThat(answer.status()).as(answer.result().stderr()).isEqualTo(200);
        assertThat(receivedAt("/v1/charges").getHeaders().getHeader("Authorization").values())
                .containsExactly("Bearer " + SECRET);
        assertThat(answer.headers("authorization")).isEmpty();
        assertThat(answer.everything()).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2"})
    void replacesAuthorizationTheSandboxSentInsteadOfDoublingIt(String protocol) throws Exception {
        ProxyFixture.Credentials box = register("replace" + suffix(protocol), Map.of("stripe", SECRET));

        CurlAnswer one = env.curl(box, protocol, "-H", "Authorization: Bearer sk_sandbox_own",
                env.https("api.stripe.test", "/v1/one"));
        CurlAnswer two = env.curl(box, protocol, "-H", "Authorization: Bearer first", "-H",
                "authorization: Basic c2Vjb25k", env.https("api.stripe.test", "/v1/two"));

        assertThat(one.status()).as(one.result().stderr()).isEqualTo(200);
        assertThat(two.status()).as(two.result().stderr()).isEqualTo(200);
        assertThat(receivedAt("/v1/one").getHeaders().getHeader("Authorization").values())
                .containsExactly("Bearer " + SECRET);
        assertThat(receivedAt("/v1/two").getHeaders().getHeader("Authorization").values())
                .containsExactly("Bearer " + SECRET);
    }

    @Test
    void keepsTheSecretOutOfEveryAnswerAndRecord() throws Exception {
        ProxyFixture.Credentials box = register("secret-hidden", Map.of("stripe", SECRET));

        List<CurlAnswer> answers = List.of(
                env.curl(box, env.https("api.stripe.test", "/v1/charges")),
                env.curl(box, "-H", "Authorization: Bearer " + "sk_sandbox", env.https("api.stripe.test", "/v1/x")),
                env.curl(box, env.http("api.stripe.test", "/v1/plain")),
                env.curl(box, env.http("sts.amazonaws.test", "/")),
                env.curl(box, "-X", "POST", "-d", "a=b", env.https("api.twilio.test", "/v1/messages")));
        env.proxy().listener().awaitExchange(r -> box.id().equals(r.instanceId()) && "POST".equals(r.method()));

        assertThat(env.received()).hasSize(4);
        for (CurlAnswer answer : answers) {
            assertThat(answer.everything()).doesNotContain(SECRET);
        }
        assertThat(env.proxy().listener().exchanges()).isNotEmpty()
                .allSatisfy(record -> assertThat(record.toString()).doesNotContain(SECRET));
    }

    @Test
    void refusesWhenTheSecretIsMissingAndSendsNothing() throws Exception {
        ProxyFixture.Credentials box = register("no-secret", Map.of());

        CurlAnswer answer = env.curl(box, env.https("api.stripe.test", "/v1/charges"));

        JsonNode body = assertRefused(answer, 403, "egress_denied", "secret_missing", "header-injection", null,
                "api.stripe.test");
        assertThat(body.path("detail").asText()).contains("'stripe'");
        assertThat(env.received()).isEmpty();
    }

    @Test
    void answers429AfterTheBurstAndTheUpstreamSeesOnlyTheBurst() throws Exception {
        ProxyFixture.Credentials box = register("burst", Map.of("stripe", SECRET));

        for (int i = 0; i < BURST; i++) {
            CurlAnswer admitted = env.curl(box, env.https("api.stripe.test", "/v1/charges/" + i));
            assertThat(admitted.status()).as("request %d: %s", i, admitted.body()).isEqualTo(200);
        }
        CurlAnswer limited = env.curl(box, env.https("api.stripe.test", "/v1/charges/over"));

        assertRefused(limited, 429, "rate_limited", "too_many_requests", "rate-limit", null, "api.stripe.test");
        assertThat(limited.headers("Retry-After")).singleElement()
                .satisfies(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(env.received()).hasSize(BURST);
    }

    private static ProxyFixture.Credentials register(String id, Map<String, String> secrets) {
        return env.register(id, secrets, CHAIN);
    }

    private static LoggedRequest receivedAt(String url) {
        List<LoggedRequest> matching = env.received().stream().filter(r -> r.getUrl().equals(url)).toList();
        assertThat(matching).as("requests the upstream received at %s", url).hasSize(1);
        return matching.get(0);
    }

    private static String suffix(String protocol) {
        return protocol.equals("--http2") ? "-h2" : "-h1";
    }
}
