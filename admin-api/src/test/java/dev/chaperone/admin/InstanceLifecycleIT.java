package dev.chaperone.admin;

import static dev.chaperone.admin.testing.AdminClient.curl;
import static dev.chaperone.admin.testing.AdminClient.hostRulesChain;
import static dev.chaperone.admin.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chaperone.admin.audit.AdminChange;
import dev.chaperone.admin.testing.AdminClient;
import dev.chaperone.admin.testing.AdminFixture;
import dev.chaperone.admin.testing.HostRulesFilterFactory.HostRulesFilter;
import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.server.instance.Instance;
import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.spi.Filter;

/** An instance's whole life through the real HTTP API, with the JDK HttpClient and curl. */
class InstanceLifecycleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_VALUE = "sk_live_do-not-leak-0123456789";

    @TempDir
    Path dataDir;

    private final List<String> bodies = new ArrayList<>();

    @Test
    void createsReadsReplacesRotatesAndDeletesAnInstance() throws Exception {
        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            AdminClient client = admin.client();
            String base = admin.uri().toString();

            String created = curl(List.of("-X", "PUT", "-H", "Authorization: Bearer " + admin.adminToken(),
                    "-H", "Content-Type: application/json", "-d", hostRulesChain("g0", "api.example.com"),
                    "-w", "\n%{http_code}", base + "v1/instances/sandbox-1"));
            assertThat(created).endsWith("\n201");
            JsonNode createdBody = JSON.readTree(created.substring(0, created.lastIndexOf('\n')));
            String token = createdBody.get("token").asText();
            assertThat(token).hasSizeGreaterThanOrEqualTo(22);
            assertThat(createdBody.get("chain").get(0).get("plugin").asText()).isEqualTo("host-rules");
            assertThat(admin.registry().authenticate("sandbox-1", token)).isPresent();
            assertThat(admin.registry().authenticate("sandbox-1", token + "x")).isEmpty();

            assertThat(record(client.put("v1/instances/sandbox-1/secrets/stripe",
                    "{\"value\":\"" + SECRET_VALUE + "\"}")).statusCode()).isEqualTo(201);
            assertThat(record(client.put("v1/instances/sandbox-1/secrets/stripe",
                    "{\"value\":\"" + SECRET_VALUE + "\"}")).statusCode()).isEqualTo(204);
            Instance withSecret = admin.registry().get("sandbox-1").orElseThrow();
            assertThat(withSecret.secrets().get("stripe")).contains(SECRET_VALUE);

            HttpResponse<String> read = record(client.get("v1/instances/sandbox-1"));
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.headers().firstValue("ETag")).contains("\"" + json(read).get("version").asText() + "\"");
            assertThat(json(read).has("token")).isFalse();
            assertThat(json(read).get("secrets").get(0).get("name").asText()).isEqualTo("stripe");

            HttpResponse<String> secrets = record(client.get("v1/instances/sandbox-1/secrets"));
            assertThat(json(secrets).get("secrets").get(0).fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("name", "changedAt");

            assertThat(record(client.put("v1/instances/sandbox-2", hostRulesChain("x", "b.example.com")))
                    .statusCode()).isEqualTo(201);
            HttpResponse<String> list = record(client.get("v1/instances?limit=1"));
            assertThat(json(list).get("instances")).hasSize(1);
            assertThat(json(list).get("next").asText()).isEqualTo("sandbox-1");
            HttpResponse<String> rest = record(client.get("v1/instances?limit=1&after=sandbox-1"));
            assertThat(json(rest).get("instances").get(0).get("id").asText()).isEqualTo("sandbox-2");
            assertThat(json(rest).has("next")).isFalse();

            replaceChainWhileRequestsRun(admin, client, token);

            HttpResponse<String> rotated = client.post("v1/instances/sandbox-1/token");
            assertThat(rotated.statusCode()).isEqualTo(200);
            assertThat(rotated.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v)
                    .contains("no-store"));
            String newToken = json(rotated).get("token").asText();
            assertThat(newToken).isNotEqualTo(token);
            assertThat(admin.registry().authenticate("sandbox-1", token)).isEmpty();
            assertThat(admin.registry().authenticate("sandbox-1", newToken)).isPresent();
            assertThat(admin.registry().get("sandbox-1").orElseThrow().secrets().get("stripe"))
                    .contains(SECRET_VALUE);

            assertThat(record(client.delete("v1/instances/sandbox-1")).statusCode()).isEqualTo(204);
            assertThat(admin.registry().authenticate("sandbox-1", newToken)).isEmpty();
            HttpResponse<String> gone = record(client.get("v1/instances/sandbox-1"));
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(gone.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(json(gone).get("type").asText()).isEqualTo("https://chaperone.dev/problems/not-found");
            assertThat(record(client.delete("v1/instances/sandbox-1")).statusCode()).isEqualTo(404);
            assertThat(record(client.post("v1/instances/sandbox-1/token")).statusCode()).isEqualTo(404);

            assertThat(curl(List.of(base + "health"))).isEqualTo("{\"status\":\"ok\"}");
            assertThat(curl(List.of("-H", "Authorization: Bearer " + admin.adminToken(), base + "v1/ca")))
                    .isEqualTo(AdminFixture.CA_PEM);
            HttpResponse<String> metrics = record(client.get("metrics"));
            assertThat(metrics.body()).isEqualTo(AdminFixture.METRICS);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("text/plain"));

            for (String body : bodies) {
                assertThat(body).doesNotContain(SECRET_VALUE, token, newToken,
                        Base64.getEncoder().encodeToString(ProxyToken.hash(token)),
                        Base64.getEncoder().encodeToString(ProxyToken.hash(newToken)),
                        HexFormat.of().formatHex(ProxyToken.hash(token)));
            }
            List<String> actions = admin.audit().changes().stream()
                    .filter(change -> change.instanceId().equals("sandbox-1"))
                    .map(AdminChange::action).toList();
            assertThat(actions).startsWith("instance.create", "secret.put", "secret.put")
                    .contains("instance.replace", "token.rotate").endsWith("instance.delete");
            assertThat(admin.audit().changes()).allSatisfy(change -> {
                assertThat(change.actor()).matches("admin-[0-9a-f]{8}");
                assertThat(change.toString()).doesNotContain(SECRET_VALUE, token, newToken);
            });
        }
    }

    @Test
    void describesPluginConfigsAsJsonSchema() throws Exception {
        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            JsonNode plugins = json(admin.client().get("v1/plugins")).get("plugins");
            assertThat(plugins).hasSize(2);
            JsonNode hostRules = plugins.get(0);
            assertThat(hostRules.get("name").asText()).isEqualTo("host-rules");
            assertThat(hostRules.get("source").asText()).isEqualTo("test");
            JsonNode schema = hostRules.get("configSchema");
            assertThat(schema.get("required").toString()).isEqualTo("[\"rules\"]");
            JsonNode rule = schema.get("properties").get("rules").get("items");
            assertThat(rule.get("properties").get("host").get("type").asText()).isEqualTo("string");
            assertThat(rule.get("properties").get("ports").toString())
                    .isEqualTo("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"uniqueItems\":true}");
            assertThat(rule.get("properties").get("mode").toString())
                    .isEqualTo("{\"type\":\"string\",\"enum\":[\"ALLOW\",\"DENY\"]}");
        }
    }

    /**
     * Replaces the chain again and again while another thread keeps authenticating and reading the chain as a
     * request would: the token must keep working and every chain seen must be wholly one generation.
     */
    private void replaceChainWhileRequestsRun(AdminFixture admin, AdminClient client, String token)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Thread requests = new Thread(() -> {
            while (running.get() && failure.get() == null) {
                Optional<Instance> instance = admin.registry().authenticate("sandbox-1", token);
                if (instance.isEmpty()) {
                    failure.set("the token stopped working during a replace");
                    return;
                }
                CompiledChain chain = instance.get().chain();
                if (!chain.acquire()) {
                    continue;
                }
                try {
                    Set<String> generations = chain.filters().stream()
                            .map(filter -> ((HostRulesFilter) filter).generation()).collect(Collectors.toSet());
                    chain.entries().forEach(entry -> generations.add(entry.config().get("generation").asText()));
                    if (generations.size() != 1) {
                        failure.set("a chain mixes generations " + generations);
                    }
                    seen.addAll(generations);
                    reads.incrementAndGet();
                } finally {
                    chain.release();
                }
            }
        }, "requests");
        requests.start();
        for (int generation = 1; generation <= 40; generation++) {
            String name = "g" + generation;
            HttpResponse<String> replaced = record(client.put("v1/instances/sandbox-1",
                    hostRulesChain(name, "a.example.com", "b.example.com", "c.example.com")));
            assertThat(replaced.statusCode()).isEqualTo(200);
            assertThat(json(replaced).has("token")).isFalse();
            List<Filter> filters = admin.registry().get("sandbox-1").orElseThrow().chain().filters();
            assertThat(filters).hasSize(3)
                    .allSatisfy(filter -> assertThat(((HostRulesFilter) filter).generation()).isEqualTo(name));
        }
        running.set(false);
        requests.join();
        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(seen).hasSizeGreaterThan(1);
        System.out.printf("concurrent replace: %d chain reads across %d generations%n", reads.get(), seen.size());
    }

    private HttpResponse<String> record(HttpResponse<String> response) {
        bodies.add(response.body());
        return response;
    }
}
