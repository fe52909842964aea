package dev.chaperone.admin;

import static dev.chaperone.admin.testing.AdminClient.hostRulesChain;
import static dev.chaperone.admin.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chaperone.admin.auth.AdminToken;
import dev.chaperone.admin.testing.AdminClient;
import dev.chaperone.admin.testing.AdminFixture;
import dev.chaperone.admin.testing.HostRulesFilterFactory;
import dev.chaperone.server.instance.Instance;
import dev.chaperone.server.plugin.LoadedPlugin;

/** Stopping the server and starting it again on the same data dir. */
class AdminRestartIT {

    private static final String HEADER_CHAIN = """
            {"chain":[{"plugin":"host-rules","config":{"rules":[{"host":"api.example.com"}]}},
                      {"plugin":"header-secret",
                       "config":{"header":"Authorization","value":"Bearer ${secret:api}"}}]}""";

    @TempDir
    Path dataDir;

    @Test
    void keepsInstancesTokensAndSecretsAcrossARestart() throws Exception {
        String token;
        String etag;
        String adminToken;
        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            AdminClient client = admin.client();
            adminToken = admin.adminToken();
            token = json(client.put("v1/instances/kept", HEADER_CHAIN)).get("token").asText();
            client.put("v1/instances/kept/secrets/api", "{\"value\":\"s3cr3t-value\"}");
            etag = client.get("v1/instances/kept").headers().firstValue("ETag").orElseThrow();
            client.put("v1/instances/removed", hostRulesChain("g", "a"));
            client.delete("v1/instances/removed");
        }

        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            assertThat(admin.adminToken()).isEqualTo(adminToken);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dataDir.resolve(AdminToken.FILE_NAME)))).isEqualTo("rw-------");
            Instance kept = admin.registry().authenticate("kept", token).orElseThrow();
            assertThat(kept.secrets().get("api")).contains("s3cr3t-value");
            assertThat(kept.chain().filters()).hasSize(2);
            assertThat(kept.chain().headerSecrets()).containsExactly("api");
            HttpResponse<String> read = admin.client().get("v1/instances/kept");
            assertThat(read.headers().firstValue("ETag")).contains(etag);
            assertThat(json(read).has("chainProblem")).isFalse();
            assertThat(admin.registry().get("removed")).isEmpty();
            assertThat(admin.client().get("v1/instances/removed").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void keepsAnInstanceWhosePluginIsGoneButDeniesItsTraffic() throws Exception {
        String token;
        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            token = json(admin.client().put("v1/instances/orphan", HEADER_CHAIN)).get("token").asText();
        }

        List<LoadedPlugin> withoutHeaderSecret = List.of(new LoadedPlugin(new HostRulesFilterFactory(), "test"));
        try (AdminFixture admin = AdminFixture.start(dataDir, withoutHeaderSecret)) {
            Instance orphan = admin.registry().authenticate("orphan", token).orElseThrow();
            assertThat(orphan.chain().filters()).isEmpty();
            JsonNode read = json(admin.client().get("v1/instances/orphan"));
            assertThat(read.get("chainProblem").asText())
                    .isEqualTo("entry 1 (header-secret) field plugin: no plugin named 'header-secret' is loaded");
            assertThat(read.get("chain")).hasSize(2);
            assertThat(json(admin.client().post("v1/instances/orphan/token")).get("chainProblem")).isNotNull();
        }

        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            Instance orphan = admin.registry().get("orphan").orElseThrow();
            assertThat(orphan.chain().filters()).hasSize(2);
            assertThat(json(admin.client().get("v1/instances/orphan")).has("chainProblem")).isFalse();
        }
    }

    @Test
    void setsAsideAnUnreadableFileAndLoadsTheRest() throws Exception {
        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            admin.client().put("v1/instances/good", hostRulesChain("g", "a"));
        }
        Path instances = dataDir.resolve("instances");
        Files.writeString(instances.resolve("broken.json"), "{\"format\":1,\"id\":\"bro", StandardCharsets.UTF_8);
        Files.writeString(instances.resolve("good.json.tmp"), "{\"half", StandardCharsets.UTF_8);

        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            assertThat(admin.registry().get("good")).isPresent();
            assertThat(admin.registry().size()).isEqualTo(1);
        }
        assertThat(instances.resolve("broken.json")).doesNotExist();
        assertThat(instances.resolve("good.json.tmp")).doesNotExist();
        try (var aside = Files.list(instances.resolve("unreadable"))) {
            List<Path> files = aside.toList();
            assertThat(files).hasSize(1);
            assertThat(files.get(0).getFileName().toString()).startsWith("broken.json.");
            assertThat(Files.readString(files.get(0))).isEqualTo("{\"format\":1,\"id\":\"bro");
        }
    }
}
