package dev.chaperone.server.plugin;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plugins this server found at start-up, by name. Immutable once built.
 */
public final class PluginRegistry {

    private final Map<String, LoadedPlugin> byName;

    /**
     * @throws IllegalStateException when two plugins share a name; the message names both sources
     */
    public PluginRegistry(List<LoadedPlugin> plugins) {
        Map<String, LoadedPlugin> map = new LinkedHashMap<>();
        for (LoadedPlugin plugin : plugins) {
            LoadedPlugin earlier = map.putIfAbsent(plugin.name(), plugin);
            if (earlier != null) {
                throw new IllegalStateException("plugin name '" + plugin.name() + "' is provided twice: by "
                        + earlier.source() + " and by " + plugin.source());
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    public Optional<LoadedPlugin> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every plugin, in the order found. */
    public Collection<LoadedPlugin> plugins() {
        return byName.values();
    }
}
