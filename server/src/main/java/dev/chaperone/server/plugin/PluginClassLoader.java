package dev.chaperone.server.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The class loader of one plugin JAR. Classes of the shared packages (the SPI, the JDK, the SLF4J API and
 * Jackson's annotations) come from the server, so that the server and the plugin agree on their types;
 * everything else comes from the JAR first, so that a plugin can bundle its own version of any library
 * without clashing with the server's or another plugin's.
 *
 * <p>The parent is the JDK's platform class loader, not the server's class loader: a plugin cannot see the
 * server's classes (Jetty, Bouncy Castle, the server's own Jackson databind) unless they are shared here.
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Packages loaded from the server's class loader rather than from the plugin JAR. */
    static final List<String> SHARED_PACKAGES = List.of(
            "dev.chaperone.spi.",
            "org.slf4j.",
            "com.fasterxml.jackson.annotation.");

    /** Packages that only the JDK may define; they come from the platform class loader. */
    private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.");

    private final Path jar;
    private final ClassLoader serverClassLoader;

    /**
     * @param jar the plugin JAR
     * @param serverClassLoader where the shared packages come from
     */
    public PluginClassLoader(Path jar, ClassLoader serverClassLoader) throws IOException {
        super("plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.serverClassLoader = Objects.requireNonNull(serverClassLoader, "serverClassLoader");
    }

    /** The plugin JAR this loader reads. */
    public Path jar() {
        return jar;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null && isShared(name, SHARED_PACKAGES)) {
                type = serverClassLoader.loadClass(name);
            }
            if (type == null && isShared(name, JDK_PACKAGES)) {
                type = getParent().loadClass(name);
            }
            if (type == null) {
                // URLClassLoader asks the platform loader first and then the JAR: the JAR cannot shadow the JDK.
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isShared(name.replace('/', '.'), SHARED_PACKAGES)) {
            return serverClassLoader.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isShared(name.replace('/', '.'), SHARED_PACKAGES)) {
            return serverClassLoader.getResources(name);
        }
        return super.getResources(name);
    }

    private static boolean isShared(String name, List<String> packages) {
        for (String prefix : packages) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + jar.getFileName() + "]";
    }
}
