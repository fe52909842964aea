package dev.chaperone.plugins.headerinjection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.chaperone.plugins.testing.Filters;
import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.testing.FakeFilterRequest;
import dev.chaperone.spi.testing.FakeSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderInjectionFilterTest {

    private static final String STRIPE_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

    private final HeaderInjectionFilterFactory factory = new HeaderInjectionFilterFactory();
    private final FakeSecrets secrets = new FakeSecrets().put("stripe", STRIPE_KEY).put("region", "eu");

    private static HeaderInjectionConfig config(Map<String, String> set) {
        return new HeaderInjectionConfig(List.of("api.stripe.com", "*.stripe.com"), set, null, null, null, null);
    }

    private Filter bearer() {
        return Filters.create(factory, config(Map.of("Authorization", "Bearer ${secret:stripe}")));
    }

    @Test
    void setsTheHeaderWithTheSecretOnMatchingTlsRequests() {
        FakeFilterRequest request = FakeFilterRequest.https("api.stripe.com", "/v1/charges").withSecrets(secrets);
        Decision decision = bearer().onRequest(request);
        assertThat(decision.kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(request.headers().getAll("authorization")).containsExactly("Bearer " + STRIPE_KEY);
    }

    @Test
    void replacesAHeaderTheSandboxSentInsteadOfDoublingIt() {
        FakeFilterRequest request = FakeFilterRequest.https("files.stripe.com", "/").withSecrets(secrets)
                .withHeader("Authorization", "Bearer sandbox-own")
                .withHeader("AUTHORIZATION", "Basic c2FuZGJveA==");
        bearer().onRequest(request);
        assertThat(request.headers().getAll("Authorization")).containsExactly("Bearer " + STRIPE_KEY);
        assertThat(request.headers().size()).isEqualTo(1);
    }

    @Test
    void leavesOtherHostsAlone() {
        FakeFilterRequest request = FakeFilterRequest.https("api.twilio.com", "/").withSecrets(secrets)
                .withHeader("Authorization", "Bearer sandbox-own");
        assertThat(bearer().onRequest(request).kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(request.headers().getAll("Authorization")).containsExactly("Bearer sandbox-own");
        assertThat(secrets.lookups()).isEmpty();
    }

    @Test
    void neverInjectsIntoPlainHttpUnlessAllowed() {
        FakeFilterRequest plain = FakeFilterRequest.http("api.stripe.com", "/").withSecrets(secrets);
        assertThat(bearer().onRequest(plain).kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(plain.headers().contains("Authorization")).isFalse();
        assertThat(secrets.lookups()).isEmpty();

        Filter allowing = Filters.create(factory, new HeaderInjectionConfig(List.of("api.stripe.com"),
                Map.of("Authorization", "Bearer ${secret:stripe}"), null, null, null, true));
        FakeFilterRequest allowed = FakeFilterRequest.http("api.stripe.com", "/").withSecrets(secrets);
        allowing.onRequest(allowed);
        assertThat(allowed.headers().get("Authorization")).isEqualTo("Bearer " + STRIPE_KEY);
    }

    @Test
    void refusesTheRequestWhenASecretIsMissingNamingOnlyTheSecret() {
        FakeFilterRequest request = FakeFilterRequest.https("api.stripe.com", "/").withSecrets(new FakeSecrets())
                .withHeader("Authorization", "Bearer sandbox-own");
        Decision decision = bearer().onRequest(request);
        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.error()).isEqualTo("egress_denied");
        assertThat(decision.reason()).isEqualTo("secret_missing");
        assertThat(decision.detail()).contains("'stripe'");
        assertThat(request.headers().getAll("Authorization")).containsExactly("Bearer sandbox-own");
    }

    @Test
    void refusesTheRequestWhenASecretWouldSplitAHeaderWithoutShowingIt() {
        for (String bad : new String[] {"abc\r\nX-Evil: 1", "abc\n", "abc\u0000", "abc\u0001"}) {
            FakeFilterRequest request = FakeFilterRequest.https("api.stripe.com", "/")
                    .withSecrets(new FakeSecrets().put("stripe", bad));
            Decision decision = bearer().onRequest(request);
            assertThat(decision.status()).isEqualTo(403);
            assertThat(decision.reason()).isEqualTo("secret_invalid");
            assertThat(decision.toString() + decision.detail()).doesNotContain("abc");
            assertThat(request.headers().contains("Authorization")).isFalse();
        }
    }

    @Test
    void addsRemovesAndSetsQueryParameters() {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("X-Api-Key", "${secret:stripe}");
        Filter filter = Filters.create(factory, new HeaderInjectionConfig(List.of("api.stripe.com"), set,
                Map.of("Accept", "application/json"), List.of("Cookie"),
                Map.of("api_key", "${secret:stripe}", "region", "${secret:region}-west"), null));
        FakeFilterRequest request = FakeFilterRequest.https("api.stripe.com", "/").withSecrets(secrets)
                .withHeader("Accept", "text/plain").withHeader("Cookie", "session=sandbox");
        filter.onRequest(request);
        assertThat(request.headers().get("X-Api-Key")).isEqualTo(STRIPE_KEY);
        assertThat(request.headers().getAll("Accept")).containsExactly("text/plain", "application/json");
        assertThat(request.headers().contains("Cookie")).isFalse();
        assertThat(request.queryParameters()).containsEntry("api_key", STRIPE_KEY).containsEntry("region", "eu-west");
        assertThat(filter.headerSecrets()).containsExactlyInAnyOrder("stripe", "region");
    }

    @Test
    void looksEachSecretUpOncePerRequest() {
        Filter filter = Filters.create(factory, config(Map.of("Authorization", "Bearer ${secret:stripe}",
                "X-Key", "${secret:stripe}")));
        filter.onRequest(FakeFilterRequest.https("api.stripe.com", "/").withSecrets(secrets));
        assertThat(secrets.lookups()).containsExactly("stripe");
    }

    @Test
    void neverShowsValuesInToString() {
        HeaderInjectionConfig config = new HeaderInjectionConfig(List.of("api.stripe.com"),
                Map.of("Authorization", "Bearer sk_live_plainvalue"), Map.of("X-Team", "team-secret-literal"), null,
                Map.of("key", "query-literal"), null);
        Filter filter = Filters.create(factory, config);
        FakeFilterRequest request = FakeFilterRequest.https("api.stripe.com", "/").withSecrets(secrets);
        filter.onRequest(request);
        for (String text : List.of(config.toString(), filter.toString(), request.headers().toString())) {
            assertThat(text).doesNotContain("sk_live_plainvalue", "team-secret-literal", "query-literal");
        }
        assertThat(filter.toString()).contains("Authorization", "X-Team", "key");
    }

    @Test
    void refusesConfigValuesWithControlCharacters() {
        assertThatThrownBy(() -> config(Map.of("Authorization", "Bearer x\r\nX-Evil: 1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("the value contains CR, LF, NUL or another control character")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("set.Authorization");
        assertThatThrownBy(() -> new HeaderInjectionConfig(List.of("a.example"), null, null, null,
                Map.of("key", "a\u0000b"), null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("query.key");
    }

    @Test
    void refusesBadConfigNamingTheField() {
        assertThatThrownBy(() -> new HeaderInjectionConfig(null, Map.of("A", "b"), null, null, null, null))
                .hasMessage("header injection needs at least one host pattern")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts");
        assertThatThrownBy(() -> new HeaderInjectionConfig(List.of("a.example", "2130706433"), Map.of("A", "b"),
                null, null, null, null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("hosts[1]");
        assertThatThrownBy(() -> new HeaderInjectionConfig(List.of("a.example"), null, null, null, null, null))
                .hasMessage("nothing to inject: give at least one of 'set', 'add', 'remove', 'query'");
        assertThatThrownBy(() -> config(Map.of("Bad Name", "x")))
                .hasMessage("header name 'Bad Name' is not a token")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("set.Bad Name");
        assertThatThrownBy(() -> config(Map.of("Host", "evil.example")))
                .hasMessage("header 'Host' belongs to the proxy and cannot be changed");
        assertThatThrownBy(() -> config(Map.of("Authorization", "Bearer ${secret:bad name}")))
                .hasMessage("the value has a malformed ${secret:NAME} reference "
                        + "(names are 1 to 128 of A-Z a-z 0-9 . _ -)")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("set.Authorization");
        assertThatThrownBy(() -> new HeaderInjectionConfig(List.of("a.example"), null,
                Map.of("Authorization", "Bearer ${secret:stripe}"), null, null, null))
                .hasMessageStartingWith("a value with a secret must be in 'set'")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("add.Authorization");
        assertThatThrownBy(() -> new HeaderInjectionConfig(List.of("a.example"), Map.of("Authorization", "x"),
                null, List.of("authorization"), null, null))
                .hasMessage("header 'authorization' is already named by set.Authorization")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("remove[0]");
    }

    @Test
    void describesItself() {
        assertThat(factory.name()).isEqualTo("header-injection");
        assertThat(factory.configType()).isEqualTo(HeaderInjectionConfig.class);
        assertThat(bearer().headerSecrets()).containsExactly("stripe");
    }
}
