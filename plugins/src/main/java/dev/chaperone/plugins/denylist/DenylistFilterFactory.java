package dev.chaperone.plugins.denylist;

import java.util.Objects;

import dev.chaperone.plugins.matching.HostMatcher;
import dev.chaperone.plugins.matching.HostRules;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;

/** Makes {@code denylist} filters, which refuse requests to the hosts, ports, methods and paths listed. */
public final class DenylistFilterFactory implements FilterFactory<DenylistConfig> {

    @Override
    public String name() {
        return "denylist";
    }

    @Override
    public Class<DenylistConfig> configType() {
        return DenylistConfig.class;
    }

    @Override
    public String description() {
        return "Refuses requests to the listed hosts (exact, *.wildcard, IP or CIDR), optionally only for some ports, "
                + "methods and path prefixes, even when an earlier filter allowed them.";
    }

    @Override
    public Filter create(DenylistConfig config, FilterContext context) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        return new DenylistFilter(HostMatcher.of(HostRules.parse(config.hosts(), config.rules())));
    }
}
