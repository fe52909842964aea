package dev.chaperone.admin.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JDK HttpClient with the admin token, for tests. */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, Map.of());
    }

    public HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, json, Map.of());
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send("POST", path, null, Map.of());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null, Map.of());
    }

    /** Any call; {@code headers} may override the Authorization header (an empty value removes it). */
    public HttpResponse<String> send(String method, String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        if (!headers.containsKey("Authorization")) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.header(name, value);
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Parses a JSON body. */
    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** Runs curl with the given arguments and returns what it printed. */
    public static String curl(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("curl failed: " + output);
        }
        return output;
    }

    /** A chain of {@code host-rules} entries, one per host, labelled with a generation. */
    public static String hostRulesChain(String generation, String... hosts) {
        StringBuilder chain = new StringBuilder("{\"chain\":[");
        for (int i = 0; i < hosts.length; i++) {
            chain.append(i == 0 ? "" : ",").append("{\"plugin\":\"host-rules\",\"config\":{\"generation\":\"")
                    .append(generation).append("\",\"rules\":[{\"host\":\"").append(hosts[i]).append("\"}]}}");
        }
        return chain.append("]}").toString();
    }
}
