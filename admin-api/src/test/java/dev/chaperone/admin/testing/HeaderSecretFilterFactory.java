package dev.chaperone.admin.testing;

import java.util.Set;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;
import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.SecretTemplate;

/** A test plugin that writes a secret into a request header, so that its secrets must be header-safe. */
public final class HeaderSecretFilterFactory implements FilterFactory<HeaderSecretConfig> {

    @Override
    public String name() {
        return "header-secret";
    }

    @Override
    public Class<HeaderSecretConfig> configType() {
        return HeaderSecretConfig.class;
    }

    @Override
    public String description() {
        return "Sets a header from a secret (test plugin).";
    }

    @Override
    public Filter create(HeaderSecretConfig config, FilterContext context) {
        if (config.header() == null || config.header().isBlank()) {
            throw new ConfigException("header", "a header name is required");
        }
        if (config.value() == null) {
            throw new ConfigException("value", "a value is required");
        }
        SecretTemplate template;
        try {
            template = SecretTemplate.parse(config.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("value", e.getMessage());
        }
        return new HeaderSecretFilter(config.header(), template);
    }

    /** The filter: resolves the template per request. */
    public record HeaderSecretFilter(String header, SecretTemplate template) implements Filter {

        @Override
        public Decision onRequest(FilterRequest request) {
            return template.resolve(request.secrets())
                    .map(value -> {
                        request.headers().set(header, value);
                        return Decision.proceed();
                    })
                    .orElseGet(() -> Decision.respond(500, "secret_missing", "secret_missing", null));
        }

        @Override
        public Set<String> headerSecrets() {
            return template.secretNames();
        }
    }
}
