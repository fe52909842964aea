package dev.chaperone.admin;

import static dev.chaperone.admin.testing.AdminClient.hostRulesChain;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chaperone.admin.testing.AdminClient;
import dev.chaperone.admin.testing.AdminFixture;

/** Every kind of bad admin call, and the exact problem+json it gets. */
class AdminValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEMS = "https://chaperone.dev/problems/";

    @TempDir
    static Path dataDir;

    private static AdminFixture admin;
    private static AdminClient client;

    @BeforeAll
    static void start() throws Exception {
        admin = AdminFixture.start(dataDir);
        client = admin.client();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    @Test
    void refusesAnUnknownPluginNamingTheEntry() throws Exception {
        HttpResponse<String> response = client.put("v1/instances/unknown-plugin",
                "{\"chain\":[{\"plugin\":\"host-rules\",\"config\":{\"rules\":[]}},{\"plugin\":\"nope\"}]}");

        assertProblem(response, """
                {"type":"%sinvalid-chain","title":"Invalid chain","status":422,
                 "detail":"chain entry 1 (nope): no plugin named 'nope' is loaded",
                 "entry":1,"plugin":"nope","field":"plugin"}""".formatted(PROBLEMS));
        assertThat(admin.registry().get("unknown-plugin")).isEmpty();
    }

    @Test
    void refusesMalformedJson() throws Exception {
        HttpResponse<String> response = client.put("v1/instances/bad-json", "{\"chain\": [");

        assertProblem(response, """
                {"type":"%smalformed-json","title":"Malformed JSON","status":400,
                 "detail":"the body is not valid JSON (line 1, column 12)"}""".formatted(PROBLEMS));
    }

    @Test
    void refusesAConfigFieldOfTheWrongType() throws Exception {
        HttpResponse<String> response = client.put("v1/instances/wrong-type",
                "{\"chain\":[{\"plugin\":\"host-rules\","
                        + "\"config\":{\"rules\":[{\"host\":\"a\",\"ports\":[\"x\"]}]}}]}");

        JsonNode problem = assertProblemShape(response, 422, "invalid-chain");
        assertThat(problem.get("entry").asInt()).isZero();
        assertThat(problem.get("plugin").asText()).isEqualTo("host-rules");
        assertThat(problem.get("field").asText()).isEqualTo("rules[0].ports[0]");
    }

    @Test
    void refusesABodyFieldOfTheWrongType() throws Exception {
        HttpResponse<String> response = client.put("v1/instances/wrong-body", "{\"chain\":\"allow everything\"}");

        assertProblem(response, """
                {"type":"%sinvalid-body","title":"Invalid request body","status":400,
                 "detail":"'chain' has the wrong type","field":"chain"}""".formatted(PROBLEMS));
    }

    @Test
    void refusesUnknownAndMissingBodyFields() throws Exception {
        assertProblem(client.put("v1/instances/unknown-field", "{\"chain\":[],\"owner\":\"x\"}"), """
                {"type":"%sinvalid-body","title":"Invalid request body","status":400,
                 "detail":"unknown field 'owner'","field":"owner"}""".formatted(PROBLEMS));
        assertProblem(client.put("v1/instances/missing-chain", "{}"), """
                {"type":"%sinvalid-body","title":"Invalid request body","status":400,
                 "detail":"'chain' is required (an empty list lets nothing out)"}""".formatted(PROBLEMS));
        assertProblem(client.put("v1/instances/unknown-entry-field",
                "{\"chain\":[{\"plugin\":\"host-rules\",\"confg\":{}}]}"), """
                {"type":"%sinvalid-body","title":"Invalid request body","status":400,
                 "detail":"unknown field 'confg'","field":"chain[0].confg"}""".formatted(PROBLEMS));
    }

    @Test
    void reportsAPluginsConfigExceptionWithItsField() throws Exception {
        HttpResponse<String> response = client.put("v1/instances/config-exception",
                "{\"chain\":[{\"plugin\":\"host-rules\",\"config\":{\"rules\":[{\"host\":\"a\"},{\"host\":\" \"}]}}]}");

        assertProblem(response, """
                {"type":"%sinvalid-chain","title":"Invalid chain","status":422,
                 "detail":"chain entry 0 (host-rules): a rule needs a host",
                 "entry":0,"plugin":"host-rules","field":"rules[1].host"}""".formatted(PROBLEMS));
    }

    @Test
    void refusesInvalidIdsAndSecretNames() throws Exception {
        String expected = """
                {"type":"%sinvalid-id","title":"Invalid id or name","status":400,
                 "detail":"instance id must match [A-Za-z0-9._-]{1,128} and not be '.' or '..'"}"""
                .formatted(PROBLEMS);
        assertProblem(client.put("v1/instances/bad%20id", hostRulesChain("g", "a")), expected);
        assertProblem(client.put("v1/instances/" + "x".repeat(129), hostRulesChain("g", "a")), expected);
        assertProblem(client.get("v1/instances/caf%C3%A9"), expected);

        client.put("v1/instances/named", hostRulesChain("g", "a"));
        assertProblem(client.put("v1/instances/named/secrets/bad:name", "{\"value\":\"v\"}"), """
                {"type":"%sinvalid-id","title":"Invalid id or name","status":400,
                 "detail":"secret name must match [A-Za-z0-9._-]{1,128} and not be '.' or '..'"}"""
                .formatted(PROBLEMS));
    }

    @Test
    void refusesABodyOverOneMebibyte() throws Exception {
        String big = "{\"chain\":[],\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}";

        assertProblem(client.put("v1/instances/too-big", big), """
                {"type":"%spayload-too-large","title":"Request body too large","status":413,
                 "detail":"request bodies are limited to 1048576 bytes"}""".formatted(PROBLEMS));
        String bigSecret = "{\"value\":\"" + "x".repeat(1024 * 1024) + "\"}";
        client.put("v1/instances/big-secret", hostRulesChain("g", "a"));
        assertThat(client.put("v1/instances/big-secret/secrets/s", bigSecret).statusCode()).isEqualTo(413);
    }

    @Test
    void refusesCallsWithoutTheAdminToken() throws Exception {
        String missing = """
                {"type":"%sunauthorized","title":"Authentication required","status":401,
                 "detail":"this call needs Authorization: Bearer <admin token>"}""".formatted(PROBLEMS);
        HttpResponse<String> response = client.send("GET", "v1/instances", null, Map.of("Authorization", ""));
        assertProblem(response, missing);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"chaperone-admin\"");
        assertProblem(client.send("GET", "v1/no-such-path", null, Map.of("Authorization", "")), missing);
        assertProblem(client.send("GET", "health/../v1/instances", null, Map.of("Authorization", "")), missing);

        String wrong = """
                {"type":"%sunauthorized","title":"Authentication required","status":401,
                 "detail":"the admin token is not valid"}""".formatted(PROBLEMS);
        assertProblem(client.send("GET", "v1/instances", null,
                Map.of("Authorization", "Bearer " + admin.adminToken() + "x")), wrong);
        assertProblem(client.send("GET", "v1/instances", null,
                Map.of("Authorization", "Basic " + admin.adminToken())), wrong);
        assertThat(client.send("GET", "health", null, Map.of("Authorization", "")).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAChangeWhoseETagIsStale() throws Exception {
        HttpResponse<String> created = client.put("v1/instances/etag", hostRulesChain("g1", "a"));
        String etag = created.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> replaced = client.send("PUT", "v1/instances/etag", hostRulesChain("g2", "a"),
                Map.of("If-Match", etag));
        assertThat(replaced.statusCode()).isEqualTo(200);
        String current = replaced.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> stale = client.send("PUT", "v1/instances/etag", hostRulesChain("g3", "a"),
                Map.of("If-Match", etag));

        String version = current.substring(1, current.length() - 1);
        assertProblem(stale, """
                {"type":"%sprecondition-failed","title":"Precondition failed","status":412,
                 "detail":"instance etag is at version %s"}""".formatted(PROBLEMS, version));
        assertThat(admin.service().get("etag").orElseThrow().version()).isEqualTo(Long.parseLong(version));
        assertThat(client.send("PUT", "v1/instances/etag", hostRulesChain("g3", "a"),
                Map.of("If-None-Match", "*")).statusCode()).isEqualTo(412);
        assertThat(client.send("PUT", "v1/instances/etag-new", hostRulesChain("g3", "a"),
                Map.of("If-Match", "*")).statusCode()).isEqualTo(412);
        assertThat(client.send("DELETE", "v1/instances/etag", null, Map.of("If-Match", etag)).statusCode())
                .isEqualTo(412);
        assertThat(client.send("DELETE", "v1/instances/etag", null, Map.of("If-Match", current)).statusCode())
                .isEqualTo(204);
    }

    @Test
    void refusesASecretWithLineBreaksThatTheChainPutsInAHeader() throws Exception {
        client.put("v1/instances/headers", """
                {"chain":[{"plugin":"host-rules","config":{"rules":[{"host":"a"}]}},
                          {"plugin":"header-secret",
                           "config":{"header":"Authorization","value":"Bearer ${secret:api}"}}]}""");

        HttpResponse<String> response = client.put("v1/instances/headers/secrets/api",
                "{\"value\":\"token\\r\\nX-Injected: yes\"}");

        assertProblem(response, """
                {"type":"%sunsafe-secret","title":"Secret unsafe in a header","status":422,
                 "detail":"secret 'api' contains CR, LF or NUL and chain entry 1 (header-secret) writes it \
                into a header",
                 "entry":1,"plugin":"header-secret","secret":"api"}""".formatted(PROBLEMS));
        assertThat(admin.service().get("headers").orElseThrow().secrets()).doesNotContainKey("api");
        assertThat(client.put("v1/instances/headers/secrets/other", "{\"value\":\"multi\\nline\"}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void refusesAChainThatWouldPutAnExistingUnsafeSecretInAHeader() throws Exception {
        client.put("v1/instances/later", hostRulesChain("g", "a"));
        assertThat(client.put("v1/instances/later/secrets/pem", "{\"value\":\"line1\\nline2\"}").statusCode())
                .isEqualTo(201);

        HttpResponse<String> response = client.put("v1/instances/later", """
                {"chain":[{"plugin":"header-secret","config":{"header":"X-Key","value":"${secret:pem}"}}]}""");

        assertProblem(response, """
                {"type":"%sunsafe-secret","title":"Secret unsafe in a header","status":422,
                 "detail":"secret 'pem' contains CR, LF or NUL and chain entry 0 (header-secret) writes it \
                into a header",
                 "entry":0,"plugin":"header-secret","secret":"pem"}""".formatted(PROBLEMS));
        assertThat(admin.service().get("later").orElseThrow().chain().get(0).plugin()).isEqualTo("host-rules");
    }

    @Test
    void answersUnknownPathsMethodsAndMediaTypesWithProblems() throws Exception {
        assertProblem(client.get("v1/nothing-here"), """
                {"type":"%snot-found","title":"Not found","status":404,"detail":"no such resource"}"""
                .formatted(PROBLEMS));
        assertProblem(client.get("v1/instances/nobody"), """
                {"type":"%snot-found","title":"Not found","status":404,"detail":"no instance nobody"}"""
                .formatted(PROBLEMS));
        assertProblem(client.send("PATCH", "v1/instances/x", "{}", Map.of()), """
                {"type":"about:blank","title":"Method Not Allowed","status":405}""");
        assertProblem(client.send("PUT", "v1/instances/x", "{}", Map.of("Content-Type", "text/plain")), """
                {"type":"about:blank","title":"Unsupported Media Type","status":415}""");
        assertProblem(client.get("v1/instances?limit=lots"), """
                {"type":"%sinvalid-parameter","title":"Invalid query parameter","status":400,
                 "detail":"limit must be a number from 1 to 1000"}""".formatted(PROBLEMS));
        assertThat(client.delete("v1/instances/nobody/secrets/x").statusCode()).isEqualTo(404);
    }

    @Test
    void answersErrorsRaisedByJettyItselfWithProblems() throws Exception {
        String output = AdminClient.curl(List.of("-H", "X-Padding: " + "p".repeat(20_000),
                "-w", "\n%{http_code} %{content_type}", admin.uri() + "v1/instances"));

        assertThat(output).isEqualTo("""
                {"type":"about:blank","title":"Request Header Fields Too Large","status":431}
                431 application/problem+json""");
    }

    @Test
    void hidesTheCauseOfAnInternalErrorBehindTheRequestId(@TempDir Path otherDir) throws Exception {
        try (AdminFixture failing = AdminFixture.startWithCa(otherDir, () -> {
            throw new IllegalStateException("the CA key at /secret/path is unreadable");
        })) {
            HttpResponse<String> response = failing.client().get("v1/ca");

            assertProblem(response, """
                    {"type":"%sinternal-error","title":"Internal error","status":500,
                     "detail":"the request failed; the server log has more under its id"}""".formatted(PROBLEMS));
            assertThat(response.body()).doesNotContain("secret/path", "Exception", "at dev.");
        }
    }

    /** The response is exactly this problem, plus the request id that the X-Request-Id header carries. */
    private static void assertProblem(HttpResponse<String> response, String expected) throws IOException {
        JsonNode want = JSON.readTree(expected);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(want.get("status").asInt());
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        ObjectNode got = (ObjectNode) JSON.readTree(response.body());
        assertThat(got.remove("requestId").asText())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(got).isEqualTo(want);
    }

    private static JsonNode assertProblemShape(HttpResponse<String> response, int status, String type)
            throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo(PROBLEMS + type);
        return problem;
    }
}
