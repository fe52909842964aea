package dev.chaperone.loaddriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything one run of the load driver needs, parsed from the command line of {@code load-driver run}.
 *
 * @param label names the run in the result line
 * @param target the URL every request goes to; {@code unique-hosts} prefixes its host with {@code h<n>.}
 * @param proxy the proxy to go through, or empty for direct
 * @param caFiles PEM files of the certificates to trust (the upstream's, the proxy's CA); empty: the JDK's
 * @param protocol HTTP version to the target
 * @param mode which connections and host names the requests use
 * @param rate requests per second for an open-loop run, or 0 for a closed-loop run as fast as it goes
 * @param connections closed loop: requests in flight; open loop: connection pool size; idle-hold: how many
 * @param warmup run time before measuring starts
 * @param duration measured run time
 * @param hold how long {@code idle-hold} keeps its connections open after measuring the proxy
 * @param resolveAllTo an address every host name resolves to, for direct runs against names only the proxy
 *     knows; empty: ordinary resolution
 * @param firstHostIndex the first {@code n} in {@code unique-hosts}' {@code h<n>.} names
 * @param hostCount how many unique names there are from {@code firstHostIndex} on; the run stops early
 *     when it has used them all
 * @param proxyPid the process to measure CPU and memory of, when given
 * @param clockTicksPerSecond {@code getconf CLK_TCK}, to read {@code /proc/<pid>/stat}
 * @param proxyIsJvm whether to ask {@code jcmd} for the heap of {@code proxyPid}
 * @param requestTimeout per request; a request taking longer counts as an error
 */
record DriverOptions(
        String label,
        URI target,
        Optional<ProxySettings> proxy,
        List<Path> caFiles,
        Protocol protocol,
        Mode mode,
        double rate,
        int connections,
        Duration warmup,
        Duration duration,
        Duration hold,
        Optional<String> resolveAllTo,
        long firstHostIndex,
        long hostCount,
        OptionalLong proxyPid,
        long clockTicksPerSecond,
        boolean proxyIsJvm,
        Duration requestTimeout) {
    DriverOptions {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(proxy, "proxy");
        caFiles = List.copyOf(caFiles);
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(resolveAllTo, "resolveAllTo");
        Objects.requireNonNull(proxyPid, "proxyPid");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!"https".equals(target.getScheme()) && !"http".equals(target.getScheme())) {
            throw new IllegalArgumentException("target must be an http or https URL: " + target);
        }
        if (target.getHost() == null) {
            throw new IllegalArgumentException("target has no host: " + target);
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be 0 (closed loop) or positive: " + rate);
        }
        if (connections <= 0) {
            throw new IllegalArgumentException("connections must be positive: " + connections);
        }
        if (warmup.isNegative() || duration.isNegative() || duration.isZero() || hold.isNegative()) {
            throw new IllegalArgumentException("warm-up and hold must not be negative, duration must be positive");
        }
        if (mode == Mode.UNIQUE_HOSTS && hostCount <= 0) {
            throw new IllegalArgumentException("unique-hosts needs a positive host count");
        }
        if (mode == Mode.IDLE_HOLD && rate > 0) {
            throw new IllegalArgumentException("idle-hold opens its connections as fast as it can; drop --rate");
        }
        if (clockTicksPerSecond <= 0) {
            throw new IllegalArgumentException("clock ticks per second must be positive");
        }
    }

    /** Whether requests are sent on a fixed schedule rather than as soon as the previous one completes. */
    boolean openLoop() {
        return rate > 0;
    }

    static String usage() {
        return String.join("\n",
                "load-driver run --target URL [options]",
                "  --label NAME               names the run in the result line",
                "  --proxy HOST:PORT          send through this HTTP proxy (CONNECT for https targets)",
                "  --proxy-auth-file FILE     file holding USER:PASSWORD for Proxy-Authorization (Basic)",
                "  --ca-file PEM              trust these certificates (repeatable); default: the JDK's",
                "  --protocol h1|h2           HTTP version to the target (default h1)",
                "  --mode keep-alive|new-connection|unique-hosts|idle-hold   (default keep-alive)",
                "  --rate N                   open loop at N requests/s; without it: closed loop",
                "  --connections N            closed loop: in flight; open loop: pool size; idle-hold: count",
                "  --warmup-seconds S         unmeasured run time first (default 2)",
                "  --duration-seconds S       measured run time (default 10)",
                "  --hold-seconds S           idle-hold: keep connections open this long after measuring",
                "  --resolve-all IP           resolve every host name to IP (direct runs to proxy-only names)",
                "  --host-range FIRST:COUNT   unique-hosts: use h<FIRST>.HOST ... h<FIRST+COUNT-1>.HOST",
                "  --proxy-pid PID            measure CPU per request and memory of this process",
                "  --clock-ticks N            getconf CLK_TCK (default 100)",
                "  --proxy-jvm                also read the heap of --proxy-pid with jcmd",
                "  --timeout-seconds S        per request (default 30)");
    }

    /** Parses the arguments that follow {@code run}. */
    static DriverOptions parse(List<String> args) {
        String label = null;
        URI target = null;
        String proxy = null;
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        List<Path> caFiles = new ArrayList<>();
        Protocol protocol = Protocol.H1;
        Mode mode = Mode.KEEP_ALIVE;
        double rate = 0;
        Integer connections = null;
        Duration warmup = Duration.ofSeconds(2);
        Duration duration = Duration.ofSeconds(10);
        Duration hold = Duration.ZERO;
        Optional<String> resolveAllTo = Optional.empty();
        long firstHostIndex = 0;
        long hostCount = 0;
        OptionalLong proxyPid = OptionalLong.empty();
        long clockTicks = 100;
        boolean proxyIsJvm = false;
        Duration timeout = Duration.ofSeconds(30);

        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String option = it.next();
            try {
                switch (option) {
                    case "--label" -> label = value(option, it);
                    case "--target" -> target = URI.create(value(option, it));
                    case "--proxy" -> proxy = value(option, it);
                    case "--proxy-auth-file" -> {
                        String credentials = readCredentials(Path.of(value(option, it)));
                        int colon = credentials.indexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("--proxy-auth-file must hold USER:PASSWORD");
                        }
                        user = Optional.of(credentials.substring(0, colon));
                        password = Optional.of(credentials.substring(colon + 1));
                    }
                    case "--ca-file" -> caFiles.add(Path.of(value(option, it)));
                    case "--protocol" -> protocol = Protocol.fromCliName(value(option, it));
                    case "--mode" -> mode = Mode.fromCliName(value(option, it));
                    case "--rate" -> rate = Double.parseDouble(value(option, it));
                    case "--connections" -> connections = Integer.parseInt(value(option, it));
                    case "--warmup-seconds" -> warmup = seconds(value(option, it));
                    case "--duration-seconds" -> duration = seconds(value(option, it));
                    case "--hold-seconds" -> hold = seconds(value(option, it));
                    case "--resolve-all" -> resolveAllTo = Optional.of(value(option, it));
                    case "--host-range" -> {
                        String[] range = value(option, it).split(":", 2);
                        if (range.length != 2) {
                            throw new IllegalArgumentException("--host-range must be FIRST:COUNT");
                        }
                        firstHostIndex = Long.parseLong(range[0]);
                        hostCount = Long.parseLong(range[1]);
                    }
                    case "--proxy-pid" -> proxyPid = OptionalLong.of(Long.parseLong(value(option, it)));
                    case "--clock-ticks" -> clockTicks = Long.parseLong(value(option, it));
                    case "--proxy-jvm" -> proxyIsJvm = true;
                    case "--timeout-seconds" -> timeout = seconds(value(option, it));
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + usage());
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number: " + e.getMessage());
            }
        }

        if (target == null) {
            throw new IllegalArgumentException("--target is required\n" + usage());
        }
        if (connections == null) {
            connections = mode == Mode.IDLE_HOLD ? 100 : rate > 0 ? 64 : 16;
        }
        if (label == null) {
            label = mode.cliName() + "-" + protocol.cliName() + (proxy == null ? "-direct" : "-proxied");
        }
        Optional<ProxySettings> proxySettings = proxy == null
                ? Optional.empty()
                : Optional.of(ProxySettings.parse(proxy, user, password));
        return new DriverOptions(label, target, proxySettings, caFiles, protocol, mode, rate, connections, warmup,
                duration, hold, resolveAllTo, firstHostIndex, hostCount, proxyPid, clockTicks, proxyIsJvm, timeout);
    }

    private static String value(String option, Iterator<String> it) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return it.next();
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1_000));
    }

    private static String readCredentials(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read proxy credentials from " + file, e);
        }
    }
}
