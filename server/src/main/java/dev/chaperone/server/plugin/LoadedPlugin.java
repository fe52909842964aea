package dev.chaperone.server.plugin;

import java.util.Objects;

import dev.chaperone.spi.FilterFactory;

/**
 * A filter factory the server found, and where it came from.
 *
 * @param factory the factory, made once for the server's life
 * @param source {@code "built-in"} for factories on the server's class path, or the plugin JAR's file name
 */
public record LoadedPlugin(FilterFactory<?> factory, String source) {

    public LoadedPlugin {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(source, "source");
    }

    public String name() {
        return factory.name();
    }

    public String description() {
        return factory.description();
    }

    public Class<?> configType() {
        return factory.configType();
    }
}
