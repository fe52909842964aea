package dev.chaperone.plugins.allowlist;

import java.util.Objects;

import dev.chaperone.plugins.matching.HostMatcher;
import dev.chaperone.plugins.matching.HostRules;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;

/** Makes {@code allowlist} filters, which allow requests to the hosts, ports, methods and paths listed. */
public final class AllowlistFilterFactory implements FilterFactory<AllowlistConfig> {

    @Override
    public String name() {
        return "allowlist";
    }

    @Override
    public Class<AllowlistConfig> configType() {
        return AllowlistConfig.class;
    }

    @Override
    public String description() {
        return "Allows requests to the listed hosts (exact, *.wildcard, IP or CIDR), optionally limited to ports, "
                + "methods and path prefixes; refuses hosts that match nothing before any TLS handshake.";
    }

    @Override
    public Filter create(AllowlistConfig config, FilterContext context) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        return new AllowlistFilter(HostMatcher.of(HostRules.parse(config.hosts(), config.rules())));
    }
}
