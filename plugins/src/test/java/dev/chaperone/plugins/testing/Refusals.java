package dev.chaperone.plugins.testing;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the proxy's own answers: the status and the JSON body that says who refused what and why. */
public final class Refusals {

    private Refusals() {
    }

    /**
     * Asserts that the proxy answered {@code status} itself with these body fields; {@code filter}, {@code rule}
     * and {@code host} are {@code null} for an answer that must not name one.
     *
     * @return the body, for further checks
     */
    public static JsonNode assertRefused(CurlAnswer answer, int status, String error, String reason, String filter,
            String rule, String host) {
        assertThat(answer.status()).as("status; body %s", answer.body()).isEqualTo(status);
        JsonNode body = answer.json();
        assertField(body, "error", error);
        assertField(body, "reason", reason);
        assertField(body, "filter", filter);
        assertField(body, "rule", rule);
        assertField(body, "host", host);
        return body;
    }

    private static void assertField(JsonNode body, String name, String expected) {
        if (expected == null) {
            assertThat(body.has(name)).as("%s in %s", name, body).isFalse();
        } else {
            assertThat(body.path(name).asText()).as("%s in %s", name, body).isEqualTo(expected);
        }
    }
}
