package dev.chaperone.admin.json;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chaperone.server.chain.ChainEntry;

/**
 * One chain entry in JSON: {@code {"plugin": "allowlist", "config": {...}}}.
 *
 * @param plugin the plugin's name
 * @param config the plugin's config; absent means an empty object
 */
public record ChainEntryBody(String plugin, JsonNode config) {

    public ChainEntryBody {
        if (plugin == null || plugin.isBlank()) {
            throw new IllegalArgumentException("every chain entry needs a 'plugin'");
        }
    }

    public static ChainEntryBody of(ChainEntry entry) {
        return new ChainEntryBody(entry.plugin(), entry.config());
    }

    public ChainEntry toEntry() {
        return new ChainEntry(plugin, config);
    }
}
