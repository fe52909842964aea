package dev.chaperone.plugins;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.chaperone.plugins.testing.CurlAnswer;
import dev.chaperone.plugins.testing.PluginProxy;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.testing.ProxyFixture;

import static dev.chaperone.plugins.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Path rules and the plain-http rule of the built-in plugins through the real proxy: a denylist overrides an
 * allowlist, hostile path spellings sent as they are cannot leave a prefix, and credentials are only injected
 * into plain {@code http://} when the rule says so.
 */
class PathAndSchemeRulesIT {

    private static final String SECRET = "sk_test_plain_4eC39HqLyjWDarjt";
    private static final ChainEntry ALLOW_STRIPE = PluginProxy.entry("allowlist", """
            {"hosts": ["api.stripe.test"]}""");
    private static final ChainEntry DENY_ADMIN = PluginProxy.entry("denylist", """
            {"rules": [{"host": "api.stripe.test", "paths": ["/v1/admin"]}]}""");
    private static final ChainEntry ALLOW_PUBLIC_ONLY = PluginProxy.entry("allowlist", """
            {"rules": [{"host": "api.stripe.test", "paths": ["/v1/public"]}]}""");

    @RegisterExtension
    static final PluginProxy env = new PluginProxy();

    @Test
    void denylistAfterAllowlistRefusesAPathTheAllowlistAllows() throws Exception {
        ProxyFixture.Credentials box = env.register("deny-after-allow", Map.of(), ALLOW_STRIPE, DENY_ADMIN);

        CurlAnswer allowed = env.curl(box, env.https("api.stripe.test", "/v1/charges"));
        CurlAnswer denied = env.curl(box, env.https("api.stripe.test", "/v1/admin/users"));

        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertRefused(denied, 403, "egress_denied", "path_denied", "denylist", "api.stripe.test paths=/v1/admin",
                "api.stripe.test");
        assertThat(env.received()).extracting(r -> r.getUrl()).containsExactly("/v1/charges");
    }

    /**
     * The proxy itself refuses (400) the spellings whose meaning differs between readers; the rest are judged on
     * their normal form. Either way the upstream sees nothing.
     */
    @ParameterizedTest(name = "{0} -> {1} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/public/../admin          | 403 | egress_denied | path_not_allowed | allowlist
            /v1/publicity                | 403 | egress_denied | path_not_allowed | allowlist
            /v1/public/%2e%2e/admin      | 400 | bad_request   | http_400         |
            /v1/public/%2E%2E/admin      | 400 | bad_request   | http_400         |
            /v1/public/.%2e/admin        | 400 | bad_request   | http_400         |
            /v1/public/%2e%2e%2fadmin    | 400 | bad_request   | http_400         |
            /v1/public/..%2Fadmin        | 400 | bad_request   | http_400         |
            /v1/public/..%2fadmin        | 400 | bad_request   | http_400         |
            /v1/public%2F..%2Fadmin      | 400 | bad_request   | http_400         |
            /v1/public/..%5Cadmin        | 400 | bad_request   | http_400         |
            /v1/public/..;/admin         | 400 | bad_request   | http_400         |
            /v1/public/%252e%252e/admin  | 400 | bad_request   | http_400         |
            """)
    void pathSpellingsCannotLeaveAnAllowedPrefix(String path, int status, String error, String reason,
            String filter) throws Exception {
        ProxyFixture.Credentials box = env.register("allow-prefix", Map.of(), ALLOW_PUBLIC_ONLY);

        CurlAnswer answer = env.curl(box, "--path-as-is", env.https("api.stripe.test", path));

        assertRefused(answer, status, error, reason, filter, null, filter == null ? null : "api.stripe.test");
        assertThat(env.received()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/admin                    | 403 | egress_denied | path_denied | denylist
            /v1/admin/                   | 403 | egress_denied | path_denied | denylist
            /v1/admin/users              | 403 | egress_denied | path_denied | denylist
            /v1/public/../admin          | 403 | egress_denied | path_denied | denylist
            /v1/./admin                  | 403 | egress_denied | path_denied | denylist
            /v1/%61dmin                  | 403 | egress_denied | path_denied | denylist
            /v1/%41dmin                  | 403 | egress_denied | path_denied | denylist
            /V1/ADMIN                    | 403 | egress_denied | path_denied | denylist
            /v1/Admin                    | 403 | egress_denied | path_denied | denylist
            /v1/admin;x=1                | 403 | egress_denied | path_denied | denylist
            /v1/%2e/admin                | 400 | bad_request   | http_400    |
            /v1//admin                   | 400 | bad_request   | http_400    |
            /v1%2Fadmin                  | 400 | bad_request   | http_400    |
            """)
    void pathSpellingsCannotSlipPastADeniedPrefix(String path, int status, String error, String reason,
            String filter) throws Exception {
        ProxyFixture.Credentials box = env.register("deny-prefix", Map.of(), ALLOW_STRIPE, DENY_ADMIN);

        CurlAnswer answer = env.curl(box, "--path-as-is", env.https("api.stripe.test", path));

        assertRefused(answer, status, error, reason, filter, filter == null ? null : "api.stripe.test paths=/v1/admin",
                filter == null ? null : "api.stripe.test");
        assertThat(env.received()).isEmpty();
    }

    @Test
    void injectsNothingIntoPlainHttpUnlessTheRuleAllowsPlaintext() throws Exception {
        ProxyFixture.Credentials tlsOnly = env.register("tls-only", Map.of("stripe", SECRET), ALLOW_STRIPE,
                PluginProxy.entry("header-injection", """
                        {"hosts": ["api.stripe.test"], "set": {"Authorization": "Bearer ${secret:stripe}"}}"""));
        ProxyFixture.Credentials plaintext = env.register("plaintext", Map.of("stripe", SECRET), ALLOW_STRIPE,
                PluginProxy.entry("header-injection", """
                        {"hosts": ["api.stripe.test"], "set": {"Authorization": "Bearer ${secret:stripe}"},
                         "allowPlaintext": true}"""));

        CurlAnswer withoutInjection = env.curl(tlsOnly, env.http("api.stripe.test", "/v1/tls-only"));
        CurlAnswer withInjection = env.curl(plaintext, env.http("api.stripe.test", "/v1/plaintext"));

        assertThat(withoutInjection.status()).as(withoutInjection.body()).isEqualTo(200);
        assertThat(withInjection.status()).as(withInjection.body()).isEqualTo(200);
        assertThat(env.received()).hasSize(2).allSatisfy(request -> {
            boolean injected = request.getHeaders().getHeader("Authorization").isPresent();
            assertThat(injected).as(request.getUrl()).isEqualTo(request.getUrl().equals("/v1/plaintext"));
        });
        assertThat(withInjection.everything()).doesNotContain(SECRET);
    }
}
