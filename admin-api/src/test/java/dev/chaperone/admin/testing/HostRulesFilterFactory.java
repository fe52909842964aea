package dev.chaperone.admin.testing;

import java.util.List;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;
import dev.chaperone.spi.FilterRequest;

/** A test plugin with a list-of-records config: allows or denies requests by host. */
public final class HostRulesFilterFactory implements FilterFactory<HostRulesConfig> {

    @Override
    public String name() {
        return "host-rules";
    }

    @Override
    public Class<HostRulesConfig> configType() {
        return HostRulesConfig.class;
    }

    @Override
    public String description() {
        return "Allows or denies requests by host (test plugin).";
    }

    @Override
    public Filter create(HostRulesConfig config, FilterContext context) {
        for (int i = 0; i < config.rules().size(); i++) {
            String host = config.rules().get(i).host();
            if (host == null || host.isBlank()) {
                throw new ConfigException("rules[" + i + "].host", "a rule needs a host");
            }
        }
        return new HostRulesFilter(config.rules(), config.generation());
    }

    /** The filter: the first matching rule decides. */
    public record HostRulesFilter(List<HostRule> rules, String generation) implements Filter {

        @Override
        public Decision onRequest(FilterRequest request) {
            for (HostRule rule : rules) {
                if (rule.host().equalsIgnoreCase(request.host())
                        && (rule.ports().isEmpty() || rule.ports().contains(request.port()))) {
                    return rule.mode() == HostRule.Mode.ALLOW ? Decision.allow(rule.host())
                            : Decision.deny("host_denied", rule.host());
                }
            }
            return Decision.proceed();
        }
    }
}
