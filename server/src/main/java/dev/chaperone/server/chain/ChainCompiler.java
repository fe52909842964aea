package dev.chaperone.server.chain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;

/**
 * Turns the chain entries an operator wrote into a {@link CompiledChain}: finds each plugin, binds its
 * config to the plugin's config type and lets the plugin validate it. Every failure is a
 * {@link ChainValidationException} naming the entry, so nothing invalid ever reaches a request.
 */
public final class ChainCompiler {

    private final PluginRegistry plugins;
    private final Function<String, Map<String, String>> pluginSettings;
    private final Clock clock;
    private final ObjectMapper mapper;

    /**
     * @param plugins the plugins found at start-up
     * @param pluginSettings the global settings of a plugin by plugin name ({@code chaperone.plugin.<name>.*})
     * @param clock the clock given to filters
     */
    public ChainCompiler(PluginRegistry plugins, Function<String, Map<String, String>> pluginSettings, Clock clock) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.pluginSettings = Objects.requireNonNull(pluginSettings, "pluginSettings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }

    /**
     * Compiles a whole chain. On failure, the filters already made for earlier entries are closed.
     *
     * @throws ChainValidationException naming the first entry that is wrong
     */
    public CompiledChain compile(String instanceId, List<ChainEntry> entries) throws ChainValidationException {
        List<Filter> filters = new ArrayList<>(entries.size());
        try {
            for (int i = 0; i < entries.size(); i++) {
                filters.add(compileEntry(instanceId, i, entries.get(i)));
            }
            // Inside the try: the chain refuses a filter whose headerSecrets() is null, and every filter made
            // so far must then be closed too.
            return new CompiledChain(entries, filters);
        } catch (ChainValidationException | RuntimeException e) {
            filters.forEach(ChainCompiler::closeQuietly);
            throw e;
        }
    }

    private Filter compileEntry(String instanceId, int index, ChainEntry entry) throws ChainValidationException {
        LoadedPlugin plugin = plugins.find(entry.plugin()).orElseThrow(() -> new ChainValidationException(
                index, entry.plugin(), "plugin", "no plugin named '" + entry.plugin() + "' is loaded"));
        if (!entry.config().isObject()) {
            throw new ChainValidationException(index, entry.plugin(), "config", "config must be a JSON object");
        }
        Object config;
        try {
            config = mapper.treeToValue(entry.config(), plugin.configType());
        } catch (JsonMappingException e) {
            String field = fieldPath(e);
            if (e.getCause() instanceof ConfigException configException && !configException.field().isEmpty()) {
                field = field.isEmpty() ? configException.field() : field + "." + configException.field();
            }
            throw new ChainValidationException(index, entry.plugin(), field, bindingMessage(e));
        } catch (Exception e) {
            throw new ChainValidationException(index, entry.plugin(), "", "config cannot be read: " + e.getMessage());
        }
        if (config == null) {
            throw new ChainValidationException(index, entry.plugin(), "config", "config must be a JSON object");
        }
        Map<String, String> settings = Map.copyOf(pluginSettings.apply(plugin.name()));
        FilterContext context = new Context(instanceId, index, settings, clock);
        try {
            Filter filter = create(plugin.factory(), config, context);
            if (filter == null) {
                throw new ChainValidationException(index, entry.plugin(), "", "the plugin made no filter");
            }
            return filter;
        } catch (ConfigException e) {
            throw new ChainValidationException(index, entry.plugin(), e.field(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ChainValidationException(index, entry.plugin(), "", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static <C> Filter create(FilterFactory<C> factory, Object config, FilterContext context) {
        return factory.create((C) config, context);
    }

    /** The JSON path of a binding failure, such as {@code hosts[2]} or {@code rules[0].ports}. */
    static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The message of a binding failure without Jackson's source location and class names. */
    private static String bindingMessage(JsonMappingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ConfigException || cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        String message = e.getOriginalMessage();
        if (message == null) {
            return "config has the wrong shape";
        }
        int detail = message.indexOf(" (");
        return detail > 0 && message.startsWith("Unrecognized field") ? message.substring(0, detail) : message;
    }

    private static void closeQuietly(Filter filter) {
        try {
            filter.close();
        } catch (RuntimeException ignored) {
            // Closing a filter that was never used; nothing to report.
        }
    }

    private record Context(String instanceId, int chainIndex, Map<String, String> settings, Clock clock)
            implements FilterContext {

        @Override
        public Optional<String> setting(String key) {
            return Optional.ofNullable(settings.get(key));
        }
    }
}
