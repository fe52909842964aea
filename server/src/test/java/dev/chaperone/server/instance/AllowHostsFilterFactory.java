package dev.chaperone.server.instance;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;
import dev.chaperone.spi.FilterRequest;

/** A test plugin: allows listed hosts, may name a secret it writes into a header, and records closing. */
final class AllowHostsFilterFactory implements FilterFactory<AllowHostsFilterFactory.Config> {

    /** @param hosts the hosts allowed @param headerSecret a secret written into a header, or null */
    record Config(List<String> hosts, String headerSecret) {
        Config {
            if (hosts == null || hosts.isEmpty()) {
                throw new ConfigException("hosts", "at least one host");
            }
            hosts = List.copyOf(hosts);
        }
    }

    /** The filter; {@link #closed} tells whether its chain was retired and released. */
    record AllowHosts(Config config, AtomicBoolean closed) implements Filter {

        @Override
        public Decision onRequest(FilterRequest request) {
            return config.hosts().contains(request.host()) ? Decision.allow(request.host()) : Decision.proceed();
        }

        @Override
        public Set<String> headerSecrets() {
            return config.headerSecret() == null ? Set.of() : Set.of(config.headerSecret());
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Override
    public String name() {
        return "allow-hosts";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public String description() {
        return "Allows the listed hosts (test plugin).";
    }

    @Override
    public Filter create(Config config, FilterContext context) {
        return new AllowHosts(config, new AtomicBoolean());
    }
}
