package dev.chaperone.loaddriver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RunResultTest {
    private static RunResult result(String firstError, Double cpu) {
        return new RunResult("keep-alive|direct|max", "keep-alive", "h2", "open", "https://bench.test:8443/", false,
                500, 64, 10, 5_000, 3, 499.7, 120.5, 200, 900, 1_500, 2_000, 150.25, 6_000, "HTTP/2.0", firstError,
                cpu, null, null, null, null, null, null, null);
    }

    @Test
    void printsOneLineOfJsonWithTheFigures() throws Exception {
        String line = result(null, 42.5).toJsonLine();

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("label").asText()).isEqualTo("keep-alive|direct|max");
        assertThat(json.get("throughput").asDouble()).isEqualTo(499.7);
        assertThat(json.get("p50Us").asDouble()).isEqualTo(120.5);
        assertThat(json.get("p999Us").asDouble()).isEqualTo(1_500);
        assertThat(json.get("errors").asLong()).isEqualTo(3);
        assertThat(json.get("proxyCpuUsPerRequest").asDouble()).isEqualTo(42.5);
    }

    @Test
    void leavesOutFiguresThatWereNotMeasured() throws Exception {
        JsonNode json = new ObjectMapper().readTree(result(null, null).toJsonLine());

        assertThat(json.has("proxyCpuUsPerRequest")).isFalse();
        assertThat(json.has("rssPerConnectionKiB")).isFalse();
        assertThat(json.has("firstError")).isFalse();
    }

    @Test
    void escapesErrorTextSoTheLineStaysValid() throws Exception {
        String error = "IOException: \"broken\"\nsecond line";

        String line = result(error, null).toJsonLine();

        assertThat(line).doesNotContain("\n");
        assertThat(new ObjectMapper().readTree(line).get("firstError").asText()).isEqualTo(error);
    }
}
