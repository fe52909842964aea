package dev.chaperone.plugins.awssigv4;

import java.util.Objects;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;

/**
 * The {@code aws-sigv4} plugin: signs requests to AWS with the instance's credentials, which the sandbox never
 * holds.
 */
public final class AwsSigV4FilterFactory implements FilterFactory<AwsSigV4Config> {

    /** The plugin's name in chains. */
    public static final String NAME = "aws-sigv4";

    private final RequestSigner signer = new RequestSigner();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<AwsSigV4Config> configType() {
        return AwsSigV4Config.class;
    }

    @Override
    public String description() {
        return "Replaces the SigV4 signature of requests to AWS with one made from the instance's credentials.";
    }

    @Override
    public Filter create(AwsSigV4Config config, FilterContext context) throws ConfigException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        return new AwsSigV4Filter(config, signer, context.clock());
    }
}
