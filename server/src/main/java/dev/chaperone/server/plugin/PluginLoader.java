package dev.chaperone.server.plugin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.spi.FilterFactory;

/**
 * Finds the filter factories at start-up: the built-in ones on the server's class path, and those of each
 * {@code *.jar} directly inside the plugins directory, each JAR in its own {@link PluginClassLoader}. Both
 * are found the same way, through {@link ServiceLoader}, so the built-in plugins prove the SPI.
 *
 * <p>Anything wrong (a JAR that cannot be read, a factory that cannot be made, a name given twice) stops the
 * start with an {@link IllegalStateException} naming the JAR, because a proxy running without a plugin an
 * operator installed would refuse or, worse, allow traffic differently from what was configured.
 */
public final class PluginLoader {

    /** The source of factories found on the server's class path. */
    public static final String BUILT_IN = "built-in";

    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final ClassLoader serverClassLoader;

    /** A loader that finds the built-in plugins where the server's own classes are. */
    public PluginLoader() {
        this(PluginLoader.class.getClassLoader());
    }

    /**
     * @param serverClassLoader where the built-in factories and the packages shared with plugins come from
     */
    public PluginLoader(ClassLoader serverClassLoader) {
        this.serverClassLoader = Objects.requireNonNull(serverClassLoader, "serverClassLoader");
    }

    /**
     * Loads the built-in plugins and every plugin JAR in {@code pluginsDir}, and logs each one.
     *
     * @param pluginsDir the directory of third-party plugin JARs; when it does not exist there are none
     * @throws IllegalStateException when a JAR cannot be loaded or a plugin name is taken twice
     */
    public PluginRegistry load(Path pluginsDir) {
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        List<LoadedPlugin> plugins = new ArrayList<>(loadBuiltIn());
        for (Path jar : pluginJars(pluginsDir)) {
            plugins.addAll(loadJar(jar));
        }
        checkUniqueNames(plugins);
        PluginRegistry registry = new PluginRegistry(plugins);
        for (LoadedPlugin plugin : registry.plugins()) {
            LOG.info("plugin {} ({}): {}", plugin.name(), plugin.source(), plugin.description());
        }
        LOG.info("{} plugins loaded", registry.plugins().size());
        return registry;
    }

    @SuppressWarnings("rawtypes") // ServiceLoader cannot name a generic service type.
    private List<LoadedPlugin> loadBuiltIn() {
        List<LoadedPlugin> found = new ArrayList<>();
        Iterator<FilterFactory> factories = ServiceLoader.load(FilterFactory.class, serverClassLoader).iterator();
        while (true) {
            FilterFactory<?> factory;
            try {
                if (!factories.hasNext()) {
                    break;
                }
                factory = factories.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                throw new IllegalStateException("a built-in plugin cannot be loaded: " + e.getMessage(), e);
            }
            checkName(factory, BUILT_IN);
            found.add(new LoadedPlugin(factory, BUILT_IN));
        }
        return found;
    }

    /** The {@code *.jar} files directly in the directory, in name order so that start-up is repeatable. */
    private static List<Path> pluginJars(Path pluginsDir) {
        if (!Files.isDirectory(pluginsDir)) {
            LOG.info("no plugins directory at {}: only built-in plugins are loaded", pluginsDir);
            return List.of();
        }
        Map<String, Path> jars = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(pluginsDir, "*.jar")) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    jars.put(entry.getFileName().toString(), entry);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the plugins directory " + pluginsDir + " cannot be read: " + e, e);
        }
        return List.copyOf(jars.values());
    }

    private List<LoadedPlugin> loadJar(Path jar) {
        String source = jar.getFileName().toString();
        try {
            // Opened only to report an unreadable file clearly; the class loader opens it again.
            new JarFile(jar.toFile()).close();
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException("plugin JAR " + source + " cannot be opened: it is not a readable JAR file",
                    e);
        }
        PluginClassLoader classLoader;
        try {
            classLoader = new PluginClassLoader(jar, serverClassLoader);
        } catch (IOException e) {
            throw new IllegalStateException("plugin JAR " + source + " cannot be opened: " + e.getMessage(), e);
        }
        try {
            return loadFactories(classLoader, source);
        } catch (RuntimeException e) {
            closeQuietly(classLoader);
            throw e;
        }
    }

    @SuppressWarnings("rawtypes") // ServiceLoader cannot name a generic service type.
    private static List<LoadedPlugin> loadFactories(PluginClassLoader classLoader, String source) {
        List<LoadedPlugin> found = new ArrayList<>();
        for (ServiceLoader.Provider<FilterFactory> provider : providers(classLoader, source)) {
            Class<? extends FilterFactory> type = provider.type();
            if (type.getClassLoader() != classLoader) {
                // Found through delegation, not in this JAR: it is not this JAR's plugin.
                continue;
            }
            FilterFactory<?> factory;
            try {
                factory = provider.get();
            } catch (ServiceConfigurationError | LinkageError e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new IllegalStateException("plugin JAR " + source + ": plugin class " + type.getName()
                        + " cannot be instantiated: " + cause, e);
            }
            checkName(factory, source);
            found.add(new LoadedPlugin(factory, source));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("plugin JAR " + source + " provides no plugin: it has no "
                    + "META-INF/services/" + FilterFactory.class.getName() + " entry");
        }
        return found;
    }

    /** The providers listed in the JAR, with their classes loaded, or the reason why they cannot be. */
    @SuppressWarnings("rawtypes") // ServiceLoader cannot name a generic service type.
    private static List<ServiceLoader.Provider<FilterFactory>> providers(PluginClassLoader classLoader,
            String source) {
        try {
            List<ServiceLoader.Provider<FilterFactory>> providers = new ArrayList<>();
            ServiceLoader.load(FilterFactory.class, classLoader).stream().forEach(providers::add);
            return providers;
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new IllegalStateException("plugin JAR " + source + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static void checkName(FilterFactory<?> factory, String source) {
        String name;
        try {
            name = factory.name();
        } catch (RuntimeException e) {
            throw new IllegalStateException(where(source) + "plugin class " + factory.getClass().getName()
                    + " fails to give its name: " + e, e);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalStateException(where(source) + "plugin class " + factory.getClass().getName()
                    + " has the invalid name '" + name + "' (lower case letters, digits and dashes)");
        }
    }

    private static void closeQuietly(PluginClassLoader classLoader) {
        try {
            classLoader.close();
        } catch (IOException ignored) {
            // The start is failing anyway; the reason already given is the one that matters.
        }
    }

    private static String where(String source) {
        return BUILT_IN.equals(source) ? "built-in plugins: " : "plugin JAR " + source + ": ";
    }

    private static void checkUniqueNames(List<LoadedPlugin> plugins) {
        Map<String, LoadedPlugin> byName = new LinkedHashMap<>();
        for (LoadedPlugin plugin : plugins) {
            LoadedPlugin earlier = byName.putIfAbsent(plugin.name(), plugin);
            if (earlier != null) {
                throw new IllegalStateException(where(plugin.source()) + "plugin '" + plugin.name()
                        + "' is already provided by " + describe(earlier.source()));
            }
        }
    }

    private static String describe(String source) {
        return BUILT_IN.equals(source) ? "a built-in plugin" : "plugin JAR " + source;
    }
}
