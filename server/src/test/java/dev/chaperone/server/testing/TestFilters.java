package dev.chaperone.server.testing;

import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chaperone.spi.ConnectRequest;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;
import dev.chaperone.spi.FilterRequest;

/**
 * Hand-written filters for tests, and a factory that hands out a given filter, so that a test can build a
 * chain from plain objects: {@code fixture.register("box", TestFilters.allowAll())}.
 */
public final class TestFilters {

    private TestFilters() {
    }

    /** A factory named {@code name} whose every chain entry is {@code filter}; its config is any JSON object. */
    public static FilterFactory<JsonNode> factory(String name, Filter filter) {
        Objects.requireNonNull(filter, "filter");
        return new FilterFactory<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<JsonNode> configType() {
                return JsonNode.class;
            }

            @Override
            public String description() {
                return "test filter " + name;
            }

            @Override
            public Filter create(JsonNode config, FilterContext context) {
                return filter;
            }
        };
    }

    /** Allows every request. */
    public static Filter allowAll() {
        return request -> Decision.allow("*");
    }

    /** Refuses tunnels and requests to {@code host} at connect time; no opinion about anything else. */
    public static Filter denyHost(String host) {
        return new Filter() {
            @Override
            public Decision onConnect(ConnectRequest target) {
                return target.host().equals(host) ? Decision.deny("host_not_allowed", host) : Decision.proceed();
            }

            @Override
            public Decision onRequest(FilterRequest request) {
                return request.host().equals(host) ? Decision.deny("host_not_allowed", host) : Decision.proceed();
            }
        };
    }

    /** Sets a request header and has no opinion. */
    public static Filter setHeader(String name, String value) {
        return request -> {
            request.headers().set(name, value);
            return Decision.proceed();
        };
    }

    /** Throws from {@code onRequest}, as a broken plugin would. */
    public static Filter throwing() {
        return request -> {
            throw new IllegalStateException("this filter is broken on purpose");
        };
    }

    /** Decides with a function of the request. */
    public static Filter deciding(Function<FilterRequest, Decision> decide) {
        return decide::apply;
    }
}
