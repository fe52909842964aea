package dev.chaperone.plugins.headerinjection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.chaperone.plugins.common.SecretReferences;
import dev.chaperone.plugins.matching.HostMatcher;
import dev.chaperone.plugins.matching.HostRules;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;

/** Makes {@code header-injection} filters, which add credentials and other headers to requests to some hosts. */
public final class HeaderInjectionFilterFactory implements FilterFactory<HeaderInjectionConfig> {

    @Override
    public String name() {
        return "header-injection";
    }

    @Override
    public Class<HeaderInjectionConfig> configType() {
        return HeaderInjectionConfig.class;
    }

    @Override
    public String description() {
        return "Sets, adds or removes request headers and query parameters for the listed hosts, over TLS only "
                + "unless allowPlaintext; values may use ${secret:NAME}, and a missing secret refuses the request.";
    }

    @Override
    public Filter create(HeaderInjectionConfig config, FilterContext context) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        return new HeaderInjectionFilter(HostMatcher.of(HostRules.parseHosts(config.hosts(), "hosts")),
                templates("set", config.set()), templates("add", config.add()), config.remove(),
                templates("query", config.query()), config.allowPlaintext());
    }

    private static List<HeaderInjectionFilter.Injection> templates(String group, Map<String, String> values) {
        List<HeaderInjectionFilter.Injection> injections = new ArrayList<>(values.size());
        values.forEach((name, value) -> injections.add(
                new HeaderInjectionFilter.Injection(name, SecretReferences.parse(group + "." + name, value))));
        return injections;
    }
}
