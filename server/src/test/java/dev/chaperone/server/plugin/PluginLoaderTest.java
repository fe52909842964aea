package dev.chaperone.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.server.chain.ChainCompiler;
import dev.chaperone.server.plugin.fixture.Greeting;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.testing.FakeFilterRequest;

class PluginLoaderTest {

    /** A plugin that stamps each request with where its copy of {@link Greeting} comes from. */
    private static final String STAMP_FACTORY = """
            package com.example.stamp;

            import com.fasterxml.jackson.annotation.JsonProperty;
            import dev.chaperone.server.plugin.fixture.Greeting;
            import dev.chaperone.spi.Decision;
            import dev.chaperone.spi.Filter;
            import dev.chaperone.spi.FilterContext;
            import dev.chaperone.spi.FilterFactory;

            public final class StampFilterFactory implements FilterFactory<StampFilterFactory.Config> {

                public record Config(@JsonProperty("header-name") String header) {
                }

                @Override
                public String name() {
                    return "%s";
                }

                @Override
                public Class<Config> configType() {
                    return Config.class;
                }

                @Override
                public String description() {
                    return "Stamps each request with a header.";
                }

                @Override
                public Filter create(Config config, FilterContext context) {
                    return request -> {
                        request.headers().set(config.header(), Greeting.origin());
                        return Decision.allow("stamp");
                    };
                }
            }
            """;

    /** The plugin's own copy of a class that the server's class path also has. */
    private static final String PLUGIN_GREETING = """
            package dev.chaperone.server.plugin.fixture;

            public final class Greeting {
                public static String origin() {
                    return "plugin";
                }
            }
            """;

    @TempDir
    Path temp;

    @Test
    void loadsPluginJarWhoseFilterRunsInAChain() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        stampPlugin("stamp").build(pluginsDir.resolve("stamp.jar"));
        Files.writeString(pluginsDir.resolve("README.txt"), "not a plugin");

        PluginRegistry registry = new PluginLoader().load(pluginsDir);

        LoadedPlugin plugin = registry.find("stamp").orElseThrow();
        assertThat(plugin.source()).isEqualTo("stamp.jar");
        assertThat(plugin.description()).isEqualTo("Stamps each request with a header.");
        assertThat(plugin.factory().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);

        ChainCompiler compiler = new ChainCompiler(registry, name -> Map.of(), Clock.systemUTC());
        CompiledChain chain = compiler.compile("sandbox-1", List.of(
                new ChainEntry("stamp", JsonMapper.builder().build().readTree("{\"header-name\": \"X-Stamp\"}"))));
        FakeFilterRequest request = FakeFilterRequest.https("api.example.test", "/v1/items");
        Decision decision = chain.filters().get(0).onRequest(request);

        assertThat(decision.kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(request.headers().get("X-Stamp")).isNotNull();
    }

    @Test
    void pluginSeesItsOwnCopyOfAClassTheServerAlsoHas() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        stampPlugin("stamp").build(pluginsDir.resolve("stamp.jar"));
        PluginRegistry registry = new PluginLoader().load(pluginsDir);
        ChainCompiler compiler = new ChainCompiler(registry, name -> Map.of(), Clock.systemUTC());
        CompiledChain chain = compiler.compile("sandbox-1", List.of(
                new ChainEntry("stamp", JsonMapper.builder().build().readTree("{\"header-name\": \"X-Stamp\"}"))));

        FakeFilterRequest request = FakeFilterRequest.https("api.example.test", "/v1/items");
        chain.filters().get(0).onRequest(request);

        assertThat(Greeting.origin()).isEqualTo("server");
        assertThat(request.headers().get("X-Stamp")).isEqualTo("plugin");
    }

    @Test
    void pluginCannotSeeTheServersOwnClasses() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        new PluginJarBuilder()
                .source("com.example.probe.ProbeFilterFactory", """
                        package com.example.probe;

                        import dev.chaperone.spi.Filter;
                        import dev.chaperone.spi.FilterContext;
                        import dev.chaperone.spi.FilterFactory;

                        public final class ProbeFilterFactory implements FilterFactory<Object> {
                            public String name() { return "probe"; }
                            public Class<Object> configType() { return Object.class; }
                            public Filter create(Object config, FilterContext context) { return null; }

                            public String description() {
                                return visible("dev.chaperone.server.chain.ChainCompiler") + ", "
                                        + visible("com.fasterxml.jackson.databind.ObjectMapper") + ", "
                                        + visible("org.slf4j.Logger");
                            }

                            private static String visible(String className) {
                                try {
                                    Class.forName(className);
                                    return className + " visible";
                                } catch (ClassNotFoundException e) {
                                    return className + " hidden";
                                }
                            }
                        }
                        """)
                .service("com.example.probe.ProbeFilterFactory")
                .build(pluginsDir.resolve("probe.jar"));

        LoadedPlugin probe = new PluginLoader().load(pluginsDir).find("probe").orElseThrow();

        assertThat(probe.description()).isEqualTo("dev.chaperone.server.chain.ChainCompiler hidden, "
                + "com.fasterxml.jackson.databind.ObjectMapper hidden, org.slf4j.Logger visible");
    }

    @Test
    void missingPluginsDirectoryMeansNoThirdPartyPlugins() {
        PluginRegistry registry = new PluginLoader().load(temp.resolve("absent"));

        assertThat(registry.plugins()).noneMatch(plugin -> !plugin.source().equals(PluginLoader.BUILT_IN));
    }

    @Test
    void findsBuiltInPluginsOnTheServerClassPath() throws Exception {
        Path builtIn = stampPlugin("stamp").build(temp.resolve("lib/stamp-builtin.jar"));
        try (URLClassLoader server = serverClassLoaderWith(builtIn)) {
            PluginRegistry registry = new PluginLoader(server).load(temp.resolve("absent"));

            assertThat(registry.find("stamp").orElseThrow().source()).isEqualTo("built-in");
        }
    }

    @Test
    void refusesTwoJarsProvidingTheSamePluginName() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        stampPlugin("stamp").build(pluginsDir.resolve("a-stamp.jar"));
        stampPlugin("stamp").build(pluginsDir.resolve("b-stamp.jar"));

        assertThatThrownBy(() -> new PluginLoader().load(pluginsDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("plugin JAR b-stamp.jar: plugin 'stamp' is already provided by plugin JAR a-stamp.jar");
    }

    @Test
    void refusesJarProvidingTheNameOfABuiltInPlugin() throws Exception {
        Path builtIn = stampPlugin("stamp").build(temp.resolve("lib/stamp-builtin.jar"));
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        stampPlugin("stamp").build(pluginsDir.resolve("stamp.jar"));

        try (URLClassLoader server = serverClassLoaderWith(builtIn)) {
            assertThatThrownBy(() -> new PluginLoader(server).load(pluginsDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("plugin JAR stamp.jar: plugin 'stamp' is already provided by a built-in plugin");
        }
    }

    @Test
    void refusesFileThatIsNotAJar() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        Files.writeString(pluginsDir.resolve("broken.jar"), "this is not a zip file");

        assertThatThrownBy(() -> new PluginLoader().load(pluginsDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("plugin JAR broken.jar cannot be opened: it is not a readable JAR file");
    }

    @Test
    void refusesJarListingAClassItDoesNotHave() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        new PluginJarBuilder().service("com.example.Missing").build(pluginsDir.resolve("missing.jar"));

        assertThatThrownBy(() -> new PluginLoader().load(pluginsDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("plugin JAR missing.jar cannot be loaded: "
                        + "dev.chaperone.spi.FilterFactory: Provider com.example.Missing not found");
    }

    @Test
    void refusesJarWhoseFactoryCannotBeInstantiated() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        new PluginJarBuilder()
                .source("com.example.boom.BoomFilterFactory", """
                        package com.example.boom;

                        import dev.chaperone.spi.Filter;
                        import dev.chaperone.spi.FilterContext;
                        import dev.chaperone.spi.FilterFactory;

                        public final class BoomFilterFactory implements FilterFactory<Object> {
                            public BoomFilterFactory() {
                                throw new IllegalStateException("no licence key");
                            }
                            public String name() { return "boom"; }
                            public Class<Object> configType() { return Object.class; }
                            public String description() { return "Never made."; }
                            public Filter create(Object config, FilterContext context) { return null; }
                        }
                        """)
                .service("com.example.boom.BoomFilterFactory")
                .build(pluginsDir.resolve("boom.jar"));

        assertThatThrownBy(() -> new PluginLoader().load(pluginsDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("plugin JAR boom.jar: plugin class com.example.boom.BoomFilterFactory cannot be "
                        + "instantiated: java.lang.IllegalStateException: no licence key");
    }

    @Test
    void refusesJarWithoutAServiceEntry() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        new PluginJarBuilder().source("com.example.Lonely", "package com.example; public class Lonely {}")
                .build(pluginsDir.resolve("lonely.jar"));

        assertThatThrownBy(() -> new PluginLoader().load(pluginsDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("plugin JAR lonely.jar provides no plugin: "
                        + "it has no META-INF/services/dev.chaperone.spi.FilterFactory entry");
    }

    @Test
    void refusesPluginWithAnInvalidName() throws Exception {
        Path pluginsDir = Files.createDirectories(temp.resolve("plugins"));
        stampPlugin("Stamp Plugin").build(pluginsDir.resolve("stamp.jar"));

        assertThatThrownBy(() -> new PluginLoader().load(pluginsDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("plugin JAR stamp.jar: plugin class com.example.stamp.StampFilterFactory has the "
                        + "invalid name 'Stamp Plugin' (lower case letters, digits and dashes)");
    }

    private static PluginJarBuilder stampPlugin(String name) {
        return new PluginJarBuilder()
                .source("com.example.stamp.StampFilterFactory", STAMP_FACTORY.formatted(name))
                .source("dev.chaperone.server.plugin.fixture.Greeting", PLUGIN_GREETING)
                .service("com.example.stamp.StampFilterFactory");
    }

    /** The test's class path plus one JAR, standing in for a server whose lib/ holds a built-in plugin. */
    private static URLClassLoader serverClassLoaderWith(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, PluginLoaderTest.class.getClassLoader());
    }
}
