package dev.chaperone.examples.requestid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterFactory;
import dev.chaperone.spi.testing.FakeFilterContext;
import dev.chaperone.spi.testing.FakeFilterRequest;

class RequestIdFilterFactoryTest {

    private final RequestIdFilterFactory factory = new RequestIdFilterFactory();

    @Test
    void setsTheDefaultHeaderToTheProxysRequestId() {
        Filter filter = factory.create(new RequestIdConfig(null), new FakeFilterContext());
        FakeFilterRequest request = FakeFilterRequest.https("api.example.test", "/").withRequestId("req-42");

        Decision decision = filter.onRequest(request);

        assertThat(request.headers().get("X-Request-Id")).isEqualTo("req-42");
        assertThat(decision.kind()).isEqualTo(Decision.Kind.PROCEED);
    }

    @Test
    void usesTheConfiguredHeader() {
        Filter filter = factory.create(new RequestIdConfig("X-Correlation-Id"), new FakeFilterContext());
        FakeFilterRequest request = FakeFilterRequest.https("api.example.test", "/").withRequestId("req-7");

        filter.onRequest(request);

        assertThat(request.headers().get("X-Correlation-Id")).isEqualTo("req-7");
        assertThat(request.headers().contains("X-Request-Id")).isFalse();
    }

    @Test
    void replacesAnIdTheSandboxSent() {
        Filter filter = factory.create(new RequestIdConfig(null), new FakeFilterContext());
        FakeFilterRequest request = FakeFilterRequest.https("api.example.test", "/").withRequestId("req-9");
        request.headers().add("x-request-id", "forged");

        filter.onRequest(request);

        assertThat(request.headers().getAll("X-Request-Id")).containsExactly("req-9");
    }

    @Test
    void refusesAHeaderNameThatIsNotAToken() {
        assertThatThrownBy(() -> new RequestIdConfig("Request Id"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("header"))
                .hasMessage("header name 'Request Id' is not a token");
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(FilterFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(RequestIdFilterFactory.class);
        assertThat(factory.name()).isEqualTo("request-id");
        assertThat(factory.configType()).isEqualTo(RequestIdConfig.class);
    }
}
