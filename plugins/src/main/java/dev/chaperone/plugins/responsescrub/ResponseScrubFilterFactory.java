package dev.chaperone.plugins.responsescrub;

import java.util.Objects;

import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;

/** Makes {@code response-scrub} filters, which keep echoed secrets out of the responses a sandbox gets. */
public final class ResponseScrubFilterFactory implements FilterFactory<ResponseScrubConfig> {

    @Override
    public String name() {
        return "response-scrub";
    }

    @Override
    public Class<ResponseScrubConfig> configType() {
        return ResponseScrubConfig.class;
    }

    @Override
    public String description() {
        return "Replaces the named instance secrets wherever a response echoes them: in headers and in text "
                + "bodies (text/*, JSON, XML), as they stream.";
    }

    @Override
    public Filter create(ResponseScrubConfig config, FilterContext context) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        return new ResponseScrubFilter(config.secrets(), config.replacement());
    }
}
