package dev.chaperone.admin.resources;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chaperone.admin.json.PluginInfo;
import dev.chaperone.admin.json.PluginList;
import dev.chaperone.admin.schema.ConfigSchemaGenerator;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginRegistry;

/**
 * The plugins the server loaded, with a JSON Schema of each one's config. One instance per application:
 * plugins never change while the server runs, so each schema is made once and kept.
 */
@Singleton
@Path("/v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
public final class PluginsResource {

    private final Map<Class<?>, JsonNode> schemas = new ConcurrentHashMap<>();
    private final PluginRegistry plugins;

    @Inject
    public PluginsResource(PluginRegistry plugins) {
        this.plugins = plugins;
    }

    @GET
    public PluginList list() {
        List<PluginInfo> infos = plugins.plugins().stream()
                .map(plugin -> new PluginInfo(plugin.name(), plugin.description(), plugin.source(), schema(plugin)))
                .toList();
        return new PluginList(infos);
    }

    private JsonNode schema(LoadedPlugin plugin) {
        return schemas.computeIfAbsent(plugin.configType(), ConfigSchemaGenerator::schemaOf);
    }
}
