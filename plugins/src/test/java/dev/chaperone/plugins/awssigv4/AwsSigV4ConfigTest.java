package dev.chaperone.plugins.awssigv4;

import java.util.List;
import java.util.ServiceLoader;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.FilterFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsSigV4ConfigTest {

    private static final String LITERAL_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    @Test
    void fillsInTheDefaults() {
        AwsSigV4Config config = AwsSigV4Config.of("${secret:aws-id}", "${secret:aws-secret}");

        assertThat(config.hosts()).containsExactly("*.amazonaws.com");
        assertThat(config.bodyLimit()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.allowPresigned()).isFalse();
        assertThat(config.allowPlaintext()).isFalse();
        assertThat(config.sessionToken()).isNull();
        assertThat(config.region()).isNull();
        assertThat(config.service()).isNull();
    }

    @Test
    void acceptsAWrittenOutAccessKeyId() {
        assertThat(AwsSigV4Config.of("AKIAIOSFODNN7EXAMPLE", "${secret:aws-secret}").accessKeyId())
                .isEqualTo("AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void refusesAWrittenOutSecretAccessKeyWithoutRepeatingIt() {
        assertThatThrownBy(() -> AwsSigV4Config.of("AKID", LITERAL_SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining(LITERAL_SECRET)
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("secretAccessKey");
    }

    @Test
    void refusesASecretAccessKeyThatMixesAReferenceWithText() {
        assertThatThrownBy(() -> AwsSigV4Config.of("AKID", "wJalr${secret:rest}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("wJalr");
    }

    @Test
    void refusesAWrittenOutSessionToken() {
        assertThatThrownBy(() -> new AwsSigV4Config(null, "AKID", "${secret:s}", "FwoGZXIvYXdzEXAMPLE", null, null,
                null, null, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("FwoGZXIvYXdzEXAMPLE")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("sessionToken");
    }

    @Test
    void refusesMissingCredentials() {
        assertThatThrownBy(() -> AwsSigV4Config.of(null, "${secret:s}"))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("accessKeyId");
        assertThatThrownBy(() -> AwsSigV4Config.of("AKID", null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("secretAccessKey");
    }

    @Test
    void namesTheHostPatternThatIsInvalid() {
        assertThatThrownBy(() -> config(List.of("*.amazonaws.com", "s3.*.amazonaws.com"), null, null, null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts[1]");
        assertThatThrownBy(() -> config(List.of("*.10.0.0.1"), null, null, null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts[0]");
        assertThatThrownBy(() -> config(List.of(), null, null, null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts");
    }

    @Test
    void refusesRegionServiceAndBodyLimitOutOfShape() {
        assertThatThrownBy(() -> config(null, "EU-WEST-1", null, null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("region");
        assertThatThrownBy(() -> config(null, null, "s3/x", null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("service");
        assertThatThrownBy(() -> config(null, null, null, 0L))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("bodyLimit");
        assertThatThrownBy(() -> config(null, null, null, (1L << 30) + 1))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("bodyLimit");
    }

    @Test
    void showsOnlySecretReferencesInToString() {
        AwsSigV4Config config = new AwsSigV4Config(null, "${secret:aws-id}", "${secret:aws-secret}",
                "${secret:aws-token}", "eu-west-1", "s3", null, null, null);

        assertThat(config.toString()).contains("${secret:aws-secret}", "${secret:aws-token}");
    }

    @Test
    void bindsFromJsonByJacksonsDefaultRules() throws Exception {
        ObjectMapper mapper = new ObjectMapper();

        AwsSigV4Config config = mapper.readValue("""
                {"hosts": ["*.amazonaws.com", "127.0.0.1"], "accessKeyId": "${secret:aws-id}",
                 "secretAccessKey": "${secret:aws-secret}", "bodyLimit": 1024, "allowPresigned": true}
                """, AwsSigV4Config.class);

        assertThat(config.hosts()).containsExactly("*.amazonaws.com", "127.0.0.1");
        assertThat(config.bodyLimit()).isEqualTo(1024);
        assertThat(config.allowPresigned()).isTrue();
        assertThat(config.allowPlaintext()).isFalse();
        assertThatThrownBy(() -> mapper.readValue(
                "{\"accessKeyId\": \"AKID\", \"secretAccessKey\": \"${secret:s}\", \"regoin\": \"x\"}",
                AwsSigV4Config.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        assertThatThrownBy(() -> mapper.readValue(
                "{\"accessKeyId\": \"AKID\", \"secretAccessKey\": \"" + LITERAL_SECRET + "\"}",
                AwsSigV4Config.class))
                .hasRootCauseInstanceOf(ConfigException.class)
                .hasMessageNotContaining(LITERAL_SECRET);
    }

    @Test
    void isFoundByTheServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(FilterFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(factory -> factory.name().equals("aws-sigv4"))
                .singleElement()
                .satisfies(factory -> {
                    assertThat(factory).isInstanceOf(AwsSigV4FilterFactory.class);
                    assertThat(factory.configType()).isEqualTo(AwsSigV4Config.class);
                    assertThat(factory.description()).isNotBlank();
                });
    }

    private static AwsSigV4Config config(List<String> hosts, String region, String service, Long bodyLimit) {
        return new AwsSigV4Config(hosts, "${secret:aws-id}", "${secret:aws-secret}", null, region, service, bodyLimit,
                null, null);
    }
}
