package dev.chaperone.examples.requestid;

import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;

/**
 * The {@code request-id} plugin: tags each request with the proxy's request id in a header. An example of a
 * third-party plugin, built against the SPI alone and found through
 * {@code META-INF/services/dev.chaperone.spi.FilterFactory}.
 */
public final class RequestIdFilterFactory implements FilterFactory<RequestIdConfig> {

    @Override
    public String name() {
        return "request-id";
    }

    @Override
    public Class<RequestIdConfig> configType() {
        return RequestIdConfig.class;
    }

    @Override
    public String description() {
        return "Sets a header (X-Request-Id unless configured) to the proxy's id of the request.";
    }

    @Override
    public Filter create(RequestIdConfig config, FilterContext context) {
        return new RequestIdFilter(config.header());
    }
}
