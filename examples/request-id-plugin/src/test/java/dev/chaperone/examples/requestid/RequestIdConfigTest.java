package dev.chaperone.examples.requestid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Binds the config from JSON with the settings the server's chain compiler uses. */
class RequestIdConfigTest {

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Test
    void bindsTheHeaderName() throws Exception {
        RequestIdConfig config = mapper.readValue("{\"header\": \"X-Trace-Id\"}", RequestIdConfig.class);

        assertThat(config.header()).isEqualTo("X-Trace-Id");
    }

    @Test
    void fallsBackToTheDefaultHeaderForAnEmptyConfig() throws Exception {
        RequestIdConfig config = mapper.readValue("{}", RequestIdConfig.class);

        assertThat(config.header()).isEqualTo("X-Request-Id");
    }
}
