package dev.chaperone.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.chaperone.admin.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.chaperone.admin.testing.AdminClient;
import dev.chaperone.admin.testing.ChaperoneFixture;
import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawTunnel;
import dev.chaperone.server.testing.WireMockUpstreams;

/**
 * An instance's whole life as a platform drives it through the admin API, seen from the other side: real
 * requests through the real proxy with the built-in {@code allowlist} and {@code header-injection} plugins,
 * to an HTTPS upstream that records what arrived.
 */
class ProxiedLifecycleIT {

    private static final String SECRET = "sk_live_e2e-4f9c2a7d81";
    private static final String HOST = "api.example.test";
    private static final int THREADS = 4;
    private static final int REQUESTS_PER_THREAD = 40;
    private static final int MIN_REPLACEMENTS = 4;

    @TempDir
    Path workDir;

    private ChaperoneFixture chaperone;
    private WireMockServer upstream;
    private AdminClient admin;
    private final List<HttpResponse<String>> reads = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        chaperone = ChaperoneFixture.start(workDir);
        admin = chaperone.admin();
        upstream = WireMockUpstreams.start(chaperone.upstreamCertificates());
        upstream.stubFor(any(anyUrl()).willReturn(ok("from upstream")));
    }

    @AfterEach
    void stop() throws Exception {
        upstream.stop();
        chaperone.close();
    }

    @Test
    void injectsSecretsSwapsChainsRotatesTokensAndSurvivesRestarts() throws Exception {
        HttpResponse<String> created = admin.put("v1/instances/box", chain("blue"));
        assertThat(created.statusCode()).isEqualTo(201);
        String token = json(created).get("token").asText();
        assertThat(admin.put("v1/instances/box/secrets/stripe", "{\"value\":\"" + SECRET + "\"}").statusCode())
                .isEqualTo(201);
        Path caFile = downloadCa();

        Curl.Result first = curlThroughProxy(caFile, new ProxyFixture.Credentials("box", token), "/v1/first");
        assertThat(first.status()).as(first.stderr()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("from upstream");
        LoggedRequest arrived = onlyRequest("/v1/first");
        assertThat(arrived.getHeader("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(arrived.getHeader("X-Chain-First")).isEqualTo("blue");

        reads.add(admin.get("v1/instances/box"));
        reads.add(admin.get("v1/instances"));
        reads.add(admin.get("v1/instances/box/secrets"));
        assertThat(reads).allSatisfy(read -> assertThat(read.statusCode()).isEqualTo(200));
        assertThat(json(reads.get(0)).get("chain").get(1).get("config").get("set").get("Authorization").asText())
                .isEqualTo("Bearer ${secret:stripe}");

        replaceChainWhileRequestsFlow(caFile, new ProxyFixture.Credentials("box", token));

        String rotated = rotateTokenWithATunnelOpen(caFile, token);

        chaperone.restart();
        admin = chaperone.admin();
        assertThat(Files.readString(downloadCa())).isEqualTo(Files.readString(caFile));
        assertThat(curlThroughProxy(caFile, new ProxyFixture.Credentials("box", token), "/v1/stale").connectStatus())
                .isEqualTo(407);
        Curl.Result afterRestart = curlThroughProxy(caFile, new ProxyFixture.Credentials("box", rotated),
                "/v1/after-restart");
        assertThat(afterRestart.status()).as(afterRestart.stderr()).isEqualTo(200);
        assertThat(onlyRequest("/v1/after-restart").getHeader("Authorization")).isEqualTo("Bearer " + SECRET);
        reads.add(admin.get("v1/instances/box"));

        assertThat(admin.delete("v1/instances/box").statusCode()).isEqualTo(204);
        assertThat(curlThroughProxy(caFile, new ProxyFixture.Credentials("box", rotated), "/v1/deleted")
                .connectStatus()).isEqualTo(407);
        chaperone.restart();
        assertThat(curlThroughProxy(caFile, new ProxyFixture.Credentials("box", rotated), "/v1/still-deleted")
                .connectStatus()).isEqualTo(407);
        assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/v1/(stale|deleted|still-deleted)")))).isEmpty();

        assertThat(reads).allSatisfy(read -> assertThat(read.body()).doesNotContain(SECRET, token, rotated));
    }

    /**
     * Runs requests on a few threads, each in its own keep-alive tunnel, while the chain keeps changing between
     * two versions; each version sets its colour in two headers from two chain entries, so a request that met
     * half of each would show it.
     */
    private void replaceChainWhileRequestsFlow(Path caFile, ProxyFixture.Credentials box) throws Exception {
        SSLContext trustingProxy = ProxyFixture.trusting(certificate(caFile));
        String authority = HOST + ":" + upstream.httpsPort();
        AtomicInteger replacements = new AtomicInteger();
        AtomicReference<String> replacerFailure = new AtomicReference<>();
        AtomicBoolean flowing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        int sent;
        try {
            List<Future<List<Integer>>> statuses = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                statuses.add(threads.submit(() -> {
                    List<Integer> seen = new ArrayList<>();
                    try (RawTunnel tunnel = RawTunnel.connect(chaperone.proxyPort(), authority, box)) {
                        seen.add(tunnel.connectReply().status());
                        tunnel.startTls(trustingProxy, HOST);
                        // Go on until the chain has changed a few times, however fast the requests are.
                        for (int i = 0; i < REQUESTS_PER_THREAD
                                || (replacements.get() < MIN_REPLACEMENTS && replacerFailure.get() == null); i++) {
                            seen.add(tunnel.get("/flow/" + thread + "-" + i, authority).status());
                        }
                    }
                    return seen;
                }));
            }
            Thread replacer = new Thread(() -> {
                while (flowing.get()) {
                    String colour = replacements.get() % 2 == 0 ? "green" : "blue";
                    try {
                        HttpResponse<String> replaced = admin.put("v1/instances/box", chain(colour));
                        if (replaced.statusCode() != 200) {
                            replacerFailure.set(replaced.statusCode() + " " + replaced.body());
                            return;
                        }
                    } catch (Exception e) {
                        replacerFailure.set(e.toString());
                        return;
                    }
                    replacements.incrementAndGet();
                }
            }, "replacer");
            replacer.start();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> thread : statuses) {
                all.addAll(thread.get(120, TimeUnit.SECONDS));
            }
            flowing.set(false);
            replacer.join(30_000);

            assertThat(replacerFailure.get()).isNull();
            assertThat(replacements.get()).isGreaterThanOrEqualTo(MIN_REPLACEMENTS);
            assertThat(all).hasSizeGreaterThanOrEqualTo(THREADS * (REQUESTS_PER_THREAD + 1)).containsOnly(200);
            sent = all.size() - THREADS;
        } finally {
            flowing.set(false);
            threads.shutdownNow();
        }
        List<LoggedRequest> arrived = upstream.findAll(getRequestedFor(urlPathMatching("/flow/.*")));
        assertThat(arrived).hasSize(sent).allSatisfy(request -> {
            assertThat(request.getHeaders().getHeader("X-Chain-First").values()).hasSize(1);
            assertThat(request.getHeaders().getHeader("X-Chain-Second").values()).hasSize(1);
            assertThat(request.getHeader("X-Chain-First")).isIn("blue", "green")
                    .isEqualTo(request.getHeader("X-Chain-Second"));
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + SECRET);
        });
        assertThat(arrived.stream().map(request -> request.getHeader("X-Chain-First")).collect(Collectors.toSet()))
                .as("both versions served requests").containsExactlyInAnyOrder("blue", "green");
    }

    /**
     * Opens a keep-alive tunnel with the current token, rotates the token, and checks that the next request
     * in that tunnel, and a new one, are refused while the new token works; returns the new token.
     */
    private String rotateTokenWithATunnelOpen(Path caFile, String token) throws Exception {
        SSLContext trustingProxy = ProxyFixture.trusting(certificate(caFile));
        String authority = HOST + ":" + upstream.httpsPort();
        try (RawTunnel tunnel = RawTunnel.connect(chaperone.proxyPort(), authority,
                new ProxyFixture.Credentials("box", token))) {
            assertThat(tunnel.connectReply().status()).isEqualTo(200);
            tunnel.startTls(trustingProxy, HOST);
            assertThat(tunnel.get("/v1/tunnel-before", authority).status()).isEqualTo(200);

            HttpResponse<String> rotation = admin.post("v1/instances/box/token");
            assertThat(rotation.statusCode()).isEqualTo(200);
            String rotated = json(rotation).get("token").asText();
            assertThat(rotated).isNotEqualTo(token);

            assertThat(tunnel.get("/v1/tunnel-after", authority).status()).isEqualTo(407);
            assertThat(curlThroughProxy(caFile, new ProxyFixture.Credentials("box", token), "/v1/old-token")
                    .connectStatus()).isEqualTo(407);
            Curl.Result fresh = curlThroughProxy(caFile, new ProxyFixture.Credentials("box", rotated), "/v1/new");
            assertThat(fresh.status()).as(fresh.stderr()).isEqualTo(200);
            assertThat(upstream.findAll(getRequestedFor(urlPathMatching("/v1/(tunnel-after|old-token)")))).isEmpty();
            return rotated;
        }
    }

    /** Fetches the proxy's CA with curl, as a platform does before it starts a sandbox. */
    private Path downloadCa() throws Exception {
        Path file = Files.createTempFile(workDir, "ca", ".pem");
        Curl.Result ca = Curl.run(List.of("-H", "Authorization: Bearer " + chaperone.adminToken(), "-o",
                file.toString(), chaperone.adminUri() + "v1/ca"));
        assertThat(ca.status()).isEqualTo(200);
        assertThat(Files.readString(file)).startsWith("-----BEGIN CERTIFICATE-----");
        return file;
    }

    private Curl.Result curlThroughProxy(Path caFile, ProxyFixture.Credentials box, String path) throws Exception {
        return Curl.run(List.of("-x", "http://127.0.0.1:" + chaperone.proxyPort(), "--proxy-user",
                box.id() + ":" + box.token(), "--cacert", caFile.toString(),
                "https://" + HOST + ":" + upstream.httpsPort() + path));
    }

    private LoggedRequest onlyRequest(String path) {
        List<LoggedRequest> found = upstream.findAll(getRequestedFor(urlEqualTo(path)));
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Allow the test host; inject the secret and the colour from two separate entries. */
    private static String chain(String colour) {
        return """
                {"chain": [
                  {"plugin": "allowlist", "config": {"hosts": ["%1$s"]}},
                  {"plugin": "header-injection", "config": {"hosts": ["%1$s"],
                      "set": {"Authorization": "Bearer ${secret:stripe}", "X-Chain-First": "%2$s"}}},
                  {"plugin": "header-injection", "config": {"hosts": ["%1$s"], "set": {"X-Chain-Second": "%2$s"}}}
                ]}""".formatted(HOST, colour);
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        byte[] bytes = Files.readAllBytes(pem);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(bytes));
    }
}
