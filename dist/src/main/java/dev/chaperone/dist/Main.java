package dev.chaperone.dist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.config.ChaperoneConfig;
import dev.chaperone.server.config.ConfigLoader;
import dev.chaperone.server.config.ConfigurationException;
import dev.chaperone.server.plugin.PluginLoader;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.server.tls.CertificateAuthority;
import dev.chaperone.server.tls.Pem;

/**
 * The {@code chaperone} command: starts the proxy and the admin API, or answers a question about the
 * installation ({@code --version}, {@code --help}, {@code ca}) without starting anything.
 *
 * <p>Exit codes: 0 success, 1 a failure while running or a missing CA for {@code ca}, 2 a problem with the
 * command line, the configuration or the installed plugins, reported in one line on standard error. A server
 * stopped by SIGTERM or SIGINT exits 0 once it has stopped gracefully.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    /** The CA certificate's file name inside the data directory. */
    static final String CA_CERTIFICATE = CertificateAuthority.CERTIFICATE_FILE;

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: chaperone [--config FILE] [COMMAND]

            Chaperone is an egress proxy that runs each sandbox's requests through its own chain of
            filters and adds credentials on the way out, so secrets never enter the sandbox.

            Commands:
              (none)      start the proxy and the admin API in the foreground
              ca          print the CA certificate's path and SHA-256 fingerprint, then exit

            Options:
              --config FILE  the properties file to read (bin/chaperone passes conf/chaperone.properties)
              --version      print the version and exit
              --help         print this help and exit

            Every setting can also be given as an environment variable (CHAPERONE_PROXY_PORT for
            chaperone.proxy.port) or a system property in JAVA_OPTS (-Dchaperone.proxy.port=3128);
            conf/chaperone.properties lists them all with their defaults.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // Exit explicitly: a library thread that outlived the stop must not keep the JVM running.
        System.exit(execute(args, System.out, System.err));
    }

    /**
     * Runs the command line and returns the exit code. Returns only once the server has stopped when the
     * command starts it.
     */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        Path configFile = null;
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE_TEXT);
                    return OK;
                }
                case "--version" -> {
                    out.println("chaperone " + Version.current());
                    return OK;
                }
                case "--config" -> {
                    if (i + 1 == args.length) {
                        return usageError(err, "--config needs a file");
                    }
                    configFile = Path.of(args[++i]);
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        return usageError(err, "unknown option '" + args[i] + "'");
                    }
                    commands.add(args[i]);
                }
            }
        }
        if (commands.size() > 1 || (commands.size() == 1 && !commands.get(0).equals("ca"))) {
            return usageError(err, "unknown command '" + String.join(" ", commands) + "'");
        }

        ChaperoneConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigurationException e) {
            err.println("chaperone: " + e.getMessage());
            return USAGE;
        }
        if (commands.isEmpty()) {
            return start(config, err);
        }
        return printCa(config, out, err);
    }

    private static int start(ChaperoneConfig config, PrintStream err) {
        try {
            run(config);
            return OK;
        } catch (ConfigurationException e) {
            err.println("chaperone: " + e.getMessage());
            return USAGE;
        } catch (PluginLoadingException e) {
            err.println("chaperone: " + e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            err.println("chaperone: " + e.getMessage());
            return FAILED;
        }
    }

    /**
     * Starts Chaperone with a loaded configuration and returns once it has stopped.
     *
     * @throws PluginLoadingException when an installed plugin cannot be loaded
     */
    public static void run(ChaperoneConfig config) {
        Objects.requireNonNull(config, "config");
        PluginRegistry plugins;
        try {
            plugins = new PluginLoader().load(config.pluginsDir());
        } catch (IllegalStateException e) {
            throw new PluginLoadingException(e.getMessage(), e);
        }
        startProxyAndAdminServers(config, plugins);
    }

    /**
     * Starts the proxy and the admin API, prints the {@link StartupBanner} and blocks until asked to stop
     * (SIGTERM, SIGINT); then stops accepting connections and lets running requests finish, up to
     * {@code chaperone.limits.shutdown-timeout}, and returns.
     */
    static void startProxyAndAdminServers(ChaperoneConfig config, PluginRegistry plugins) {
        Application application;
        try {
            application = Application.start(config, plugins);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Chaperone could not start: " + e.getMessage(), e);
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        Runnable stop = gracefulStop(application);
        // The hook covers exits that are not a stop signal (System.exit elsewhere, SIGHUP) and JVMs where the
        // signals cannot be handled; after a signal it finds the work done.
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "chaperone-shutdown"));
        StopSignals.install(stopRequested::countDown);
        application.banner().lines().forEach(LOG::info);
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.run();
    }

    /**
     * Stops the application once, whoever asks first; a second caller waits until the first has finished, so
     * that the JVM does not end half-way through a graceful stop.
     */
    private static Runnable gracefulStop(Application application) {
        AtomicBoolean stopped = new AtomicBoolean();
        return () -> {
            synchronized (stopped) {
                if (stopped.getAndSet(true)) {
                    return;
                }
                LOG.info("stopping: no new connections, waiting for running requests");
                application.close();
                LOG.info("Chaperone stopped");
            }
        };
    }

    private static int printCa(ChaperoneConfig config, PrintStream out, PrintStream err) {
        Path certificate = config.dataDir().resolve(CA_CERTIFICATE);
        if (!Files.exists(certificate)) {
            err.println("chaperone: no CA certificate at " + certificate
                    + " yet; it is created when the server first starts");
            return FAILED;
        }
        // Read the way the server reads it at startup, so this shows what the server would run with.
        List<X509Certificate> certificates;
        try {
            certificates = Pem.readCertificates(certificate);
        } catch (IOException e) {
            err.println("chaperone: the CA certificate " + certificate + " cannot be read: " + e.getMessage());
            return FAILED;
        }
        if (certificates.isEmpty()) {
            err.println("chaperone: the CA certificate " + certificate + " cannot be read: it holds no certificate");
            return FAILED;
        }
        out.println("CA certificate: " + certificate);
        out.println("SHA-256 fingerprint: " + CertificateAuthority.fingerprint(certificates.get(0)));
        return OK;
    }

    private static int usageError(PrintStream err, String problem) {
        err.println("chaperone: " + problem + "; see chaperone --help");
        return USAGE;
    }

    /** An installed plugin cannot be loaded; the message names the JAR and the plugin. */
    static final class PluginLoadingException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        PluginLoadingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
