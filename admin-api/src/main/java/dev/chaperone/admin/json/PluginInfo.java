package dev.chaperone.admin.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A loaded plugin as {@code GET /v1/plugins} shows it.
 *
 * @param name the name chain entries use
 * @param description one sentence for operators
 * @param source {@code built-in} or the plugin JAR's file name
 * @param configSchema a JSON Schema of the plugin's config object
 */
public record PluginInfo(String name, String description, String source, JsonNode configSchema) {
}
