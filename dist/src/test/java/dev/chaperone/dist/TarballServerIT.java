package dev.chaperone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chaperone.server.ProxySettings;
import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestCertificates;
import dev.chaperone.server.testing.TestUpstream;

/**
 * The tarball as an operator runs it: unpacked, the example plugin dropped into {@code plugins/}, and
 * {@code bin/chaperone} started as a real process on free ports, then driven with curl through the admin
 * API and the proxy to an HTTPS upstream of the test's own, and stopped with SIGTERM.
 */
class TarballServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PROXY_LINE = Pattern.compile(" {2}proxy {6}(\\S+):(\\d+)$");
    private static final Pattern ADMIN_LINE = Pattern.compile(" {2}admin API {2}http://(\\S+):(\\d+) ");
    private static final String HOST = "api.example.test";
    private static final String INJECTED = "static-key-7e1d0b";
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path workDir;

    private static Installation installation;
    private static ProxySettings testNetwork;
    private static TestUpstream upstream;
    private static final BlockingQueue<HttpFields> arrived = new LinkedBlockingQueue<>();

    @BeforeAll
    static void unpackAndStartUpstream() throws Exception {
        installation = Installation.unpack(Files.createDirectories(workDir.resolve("install")));
        Files.copy(Installation.examplePluginJar(),
                installation.home().resolve("plugins").resolve(Installation.examplePluginJar().getFileName()));
        // The proxy fixture's test names and upstream certificates, given to the process as an operator would.
        Path network = Files.createDirectories(workDir.resolve("network"));
        TestCertificates certificates = ProxyFixture.upstreamCertificates(network);
        testNetwork = ProxyFixture.settings(network, certificates);
        upstream = TestUpstream.start(certificates, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                arrived.add(HttpFields.build(request.getHeaders()).asImmutable());
                response.setStatus(200);
                Content.Sink.write(response, true, "from upstream", callback);
                return true;
            }
        });
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void servesAnInstanceWithTheDroppedInPluginAndStopsGracefully() throws Exception {
        Path home = installation.home();
        Map<String, String> environment = Map.of(
                "CHAPERONE_PROXY_PORT", "0",
                "CHAPERONE_ADMIN_PORT", "0",
                "CHAPERONE_DNS_HOSTS_FILE", testNetwork.hostsFile().orElseThrow().toString(),
                "CHAPERONE_UPSTREAM_CA_FILE", testNetwork.upstreamCaFile().orElseThrow().toString(),
                "CHAPERONE_UPSTREAM_ALLOW_PRIVATE", "127.0.0.0/8",
                "CHAPERONE_LIMITS_SHUTDOWN_TIMEOUT", "5s");
        try (ServerProcess server = ServerProcess.start(installation, environment)) {
            Matcher proxyLine = server.awaitLine(PROXY_LINE);
            Matcher adminLine = server.awaitLine(ADMIN_LINE);
            String proxy = "http://" + proxyLine.group(1) + ":" + proxyLine.group(2);
            String admin = "http://" + adminLine.group(1) + ":" + adminLine.group(2) + "/";
            String adminToken = Files.readString(home.resolve("data/admin.token"), StandardCharsets.UTF_8).strip();
            List<String> authorized = List.of("-H", "Authorization: Bearer " + adminToken);

            JsonNode plugins = json(curl(authorized, admin + "v1/plugins"));
            String plugin = null;
            for (JsonNode each : plugins.get("plugins")) {
                if (!each.get("source").asText().equals("built-in")) {
                    plugin = each.get("name").asText();
                }
            }
            assertThat(plugin).isEqualTo("request-id");
            String chain = """
                    {"chain": [
                      {"plugin": "allowlist", "config": {"hosts": ["%1$s"]}},
                      {"plugin": "%2$s", "config": {"header": "X-Request-Id"}},
                      {"plugin": "header-injection", "config": {"hosts": ["%1$s"], "set": {"X-Api-Key": "%3$s"}}}
                    ]}""".formatted(HOST, plugin, INJECTED);
            Curl.Result created = Curl.run(concat(authorized, "-X", "PUT", "-H", "Content-Type: application/json",
                    "--data-binary", chain, admin + "v1/instances/box"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String token = JSON.readTree(created.body()).get("token").asText();

            Curl.Result proxied = Curl.run(List.of("-x", proxy, "--proxy-user", "box:" + token,
                    "--cacert", home.resolve("data/ca.pem").toString(),
                    "https://" + HOST + ":" + upstream.port() + "/v1/charges?limit=3"));
            assertThat(proxied.status()).as(proxied.stderr()).isEqualTo(200);
            assertThat(proxied.body()).isEqualTo("from upstream");
            HttpFields headers = arrived.poll(10, TimeUnit.SECONDS);
            assertThat(headers).isNotNull();
            String requestId = headers.get("X-Request-Id");
            assertThat(requestId).isNotBlank();
            assertThat(headers.get("X-Api-Key")).isEqualTo(INJECTED);

            JsonNode audit = awaitAuditLine(home.resolve("logs/audit.log"), requestId);
            assertThat(audit.get("instance").asText()).isEqualTo("box");
            assertThat(audit.get("method").asText()).isEqualTo("GET");
            assertThat(audit.get("host").asText()).isEqualTo(HOST);
            assertThat(audit.get("path").asText()).isEqualTo("/v1/charges");
            assertThat(audit.get("status").asInt()).isEqualTo(200);
            assertThat(Files.readString(home.resolve("logs/audit.log"))).doesNotContain(INJECTED, token, adminToken);

            String metrics = curl(authorized, admin + "metrics");
            assertThat(metrics).containsPattern(
                    "(?m)^chaperone_requests_total\\{[^}]*status_class=\"2xx\"[^}]*} 1\\.0$");

            assertThat(server.terminate(SHUTDOWN_TIMEOUT.plusSeconds(10))).as(server.output()).isZero();
            assertThat(server.output()).contains("stopping: no new connections, waiting for running requests",
                    "Proxy stopped", "Chaperone stopped");
        }
    }

    @Test
    void refusesABadSettingInOneLineNamingItsKeyAndSource() throws Exception {
        Installation.Result result = installation.run(Map.of("CHAPERONE_PROXY_PORT", "70000"));

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("chaperone: chaperone.proxy.port = '70000' (from environment variable "
                + "CHAPERONE_PROXY_PORT): must be a port from 0 to 65535\n");
    }

    /** Waits for the audit writer, which writes in the background, to put down the line of a request. */
    private static JsonNode awaitAuditLine(Path log, String requestId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    JsonNode entry = JSON.readTree(line);
                    if (requestId.equals(entry.path("request_id").asText())) {
                        return entry;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no audit line for request " + requestId + " in " + log);
    }

    private static String curl(List<String> options, String url) throws Exception {
        Curl.Result result = Curl.run(concat(options, url));
        assertThat(result.status()).as(url + ": " + result.body() + result.stderr()).isEqualTo(200);
        return result.body();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }
}
