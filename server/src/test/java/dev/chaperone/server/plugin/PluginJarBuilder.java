package dev.chaperone.server.plugin;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.chaperone.spi.FilterFactory;

/**
 * Builds a plugin JAR at test time: compiles Java sources against the SPI, lists the factories in
 * {@code META-INF/services} and packs the result, as a plugin author's build would.
 */
final class PluginJarBuilder {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> services = new ArrayList<>();

    /** Adds a class by its fully qualified name and source code. */
    PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Lists a class in {@code META-INF/services/dev.chaperone.spi.FilterFactory}. */
    PluginJarBuilder service(String className) {
        services.add(className);
        return this;
    }

    /** Compiles, packs and writes the JAR to {@code jar}; returns it. */
    Path build(Path jar) throws IOException {
        Path work = Files.createTempDirectory("plugin-build");
        Path sourceDir = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", compileClassPath(),
                "--release", "17", "-proc:none", "-nowarn"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceDir.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        if (!sources.isEmpty()) {
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int result = compiler.run(null, null, null, arguments.toArray(new String[0]));
            if (result != 0) {
                throw new IllegalStateException("the test plugin does not compile; see the compiler output above");
            }
        }

        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            if (!services.isEmpty()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + FilterFactory.class.getName()));
                out.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    copy(file, out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    private static void copy(Path file, OutputStream out) throws IOException {
        out.write(Files.readAllBytes(file));
    }

    /** The SPI and the annotations a plugin may use, exactly where the test found them. */
    private static String compileClassPath() {
        return String.join(File.pathSeparator, location(FilterFactory.class), location(JsonProperty.class));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
