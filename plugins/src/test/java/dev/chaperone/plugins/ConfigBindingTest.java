package dev.chaperone.plugins;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import dev.chaperone.plugins.allowlist.AllowlistConfig;
import dev.chaperone.plugins.headerinjection.HeaderInjectionConfig;
import dev.chaperone.plugins.ratelimit.RateLimitConfig;
import dev.chaperone.spi.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binds configs from JSON with the rules the server uses, so what operators write reaches the records. */
class ConfigBindingTest {

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    @Test
    void bindsTheDocumentedExamples() throws Exception {
        AllowlistConfig allowlist = mapper.readValue("""
                {"hosts": ["api.stripe.com", "*.twilio.com"],
                 "rules": [{"host": "api.example.com", "methods": ["GET"], "paths": ["/v1/charges"]}]}""",
                AllowlistConfig.class);
        assertThat(allowlist.hosts()).containsExactly("api.stripe.com", "*.twilio.com");
        assertThat(allowlist.rules().get(0).ports()).isEmpty();

        HeaderInjectionConfig injection = mapper.readValue("""
                {"hosts": ["api.stripe.com"], "set": {"Authorization": "Bearer ${secret:stripe}"}}""",
                HeaderInjectionConfig.class);
        assertThat(injection.allowPlaintext()).isFalse();
        assertThat(injection.set()).containsEntry("Authorization", "Bearer ${secret:stripe}");

        RateLimitConfig rateLimit = mapper.readValue("""
                {"requestsPerSecond": 20, "burst": 40}""", RateLimitConfig.class);
        assertThat(rateLimit.requestsPerSecond()).isEqualTo(20.0);
        assertThat(rateLimit.burst()).isEqualTo(40);
        assertThat(rateLimit.per()).isEqualTo("instance");
    }

    @Test
    void refusesUnknownFields() {
        assertThatThrownBy(() -> mapper.readValue("""
                {"hosts": ["api.stripe.com"], "hostz": []}""", AllowlistConfig.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("hostz");
    }

    @Test
    void carriesTheFieldOfAValidationErrorThroughBinding() {
        assertThatThrownBy(() -> mapper.readValue("""
                {"hosts": ["api.stripe.com", "0177.0.0.1"]}""", AllowlistConfig.class))
                .isInstanceOf(JsonMappingException.class)
                .cause().isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts[1]");
        assertThatThrownBy(() -> mapper.readValue("""
                {"rules": [{"host": "a.example", "paths": ["/a", null]}]}""", AllowlistConfig.class))
                .isInstanceOf(JsonMappingException.class)
                .cause().isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("paths[1]");
        assertThatThrownBy(() -> mapper.readValue("""
                {"requestsPerSecond": 5, "burst": 2.5}""", RateLimitConfig.class))
                .isInstanceOf(JsonMappingException.class);
    }
}
