package dev.chaperone.server.chain;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One entry of an instance's chain as an operator wrote it: a plugin name and its JSON config.
 *
 * @param plugin the plugin's {@code name()}
 * @param config the config object; an absent config is an empty object
 */
public record ChainEntry(String plugin, JsonNode config) {

    public ChainEntry {
        Objects.requireNonNull(plugin, "plugin");
        if (config == null || config.isNull() || config.isMissingNode()) {
            config = JsonNodeFactory.instance.objectNode();
        }
    }
}
