package dev.chaperone.plugins.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chaperone.server.testing.Curl;

/**
 * What curl got through the proxy: its exit code, the statuses, the headers of the last response and the body,
 * and everything it was sent as raw text, to check that nothing secret is in it.
 *
 * @param result curl's run
 * @param headerText every header block curl received (the proxy's CONNECT answer first, when there is one)
 */
public record CurlAnswer(Curl.Result result, String headerText) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public int exitCode() {
        return result.exitCode();
    }

    public int status() {
        return result.status();
    }

    public int connectStatus() {
        return result.connectStatus();
    }

    public String body() {
        return result.body();
    }

    /** The body as JSON, for the proxy's own answers. */
    public JsonNode json() {
        try {
            return JSON.readTree(result.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the body is not JSON: " + result.body(), e);
        }
    }

    /** The values of a header of the last response, in the order sent; empty when absent. */
    public List<String> headers(String name) {
        return lastHeaders().getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** Every header and body byte the client saw, as text. */
    public String everything() {
        return headerText + "\n" + result.body();
    }

    private Map<String, List<String>> lastHeaders() {
        String[] blocks = headerText.replace("\r\n", "\n").strip().split("\n\n");
        Map<String, List<String>> headers = new TreeMap<>();
        String[] lines = blocks[blocks.length - 1].split("\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
