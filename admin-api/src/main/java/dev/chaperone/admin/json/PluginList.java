package dev.chaperone.admin.json;

import java.util.List;

/**
 * The answer of {@code GET /v1/plugins}.
 *
 * @param plugins the loaded plugins, in the order they were found
 */
public record PluginList(List<PluginInfo> plugins) {
}
