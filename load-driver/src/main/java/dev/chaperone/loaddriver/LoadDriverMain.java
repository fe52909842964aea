package dev.chaperone.loaddriver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line of the benchmark tools: {@code run} drives load and prints one JSON result line,
 * {@code upstream} serves the benchmark's local upstream until killed, {@code report} prints the ratio table
 * of a session's result file.
 */
public final class LoadDriverMain {
    private static final Logger LOG = LoggerFactory.getLogger(LoadDriverMain.class);

    private LoadDriverMain() {
    }

    /** Entry point; exits with 2 on bad arguments and 1 when a run failed outright. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(usage());
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "run" -> run(rest);
                case "upstream" -> upstream(rest);
                case "report" -> System.out.print(BenchReport.read(Path.of(single(rest))).table());
                default -> throw new IllegalArgumentException("unknown command " + args[0] + "\n" + usage());
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static void run(List<String> args) throws Exception {
        DriverOptions options = DriverOptions.parse(args);
        RunResult result;
        try (LoadDriver driver = new LoadDriver(options)) {
            result = driver.run();
        }
        System.out.println(result.toJsonLine());
        LOG.info("{}: {} req/s, p50 {} us, p99 {} us, {} errors{}", result.label(), Math.round(result.throughput()),
                Math.round(result.p50Us()), Math.round(result.p99Us()), result.errors(),
                result.firstError() == null ? "" : " (first: " + result.firstError() + ")");
        // Jetty's threads are not daemons; a run is over once its line is printed.
        System.exit(0);
    }

    private static void upstream(List<String> args) throws Exception {
        Path caOut = null;
        Path portFile = null;
        int bodyBytes = 128;
        boolean plainHttp = false;
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String option = it.next();
            switch (option) {
                case "--ca-out" -> caOut = Path.of(next(option, it));
                case "--port-file" -> portFile = Path.of(next(option, it));
                case "--body-bytes" -> bodyBytes = Integer.parseInt(next(option, it));
                case "--plain-http" -> plainHttp = true;
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + usage());
            }
        }
        if (caOut == null || portFile == null) {
            throw new IllegalArgumentException("upstream needs --ca-out and --port-file\n" + usage());
        }

        UpstreamServer server = new UpstreamServer(bodyBytes, plainHttp, Duration.ofMinutes(30));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("upstream did not stop cleanly", e);
            }
        }, "upstream-shutdown"));
        Files.writeString(caOut, server.caPem(), StandardCharsets.US_ASCII);
        // Written whole and then moved, so a script polling for the file never reads half of it.
        Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
        Files.writeString(partial, server.portLines(), StandardCharsets.US_ASCII);
        Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("upstream listening on 127.0.0.1: {}", server.portLines().strip().replace('\n', ' '));
        Thread.currentThread().join();
    }

    private static String single(List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("expected exactly one argument\n" + usage());
        }
        return args.get(0);
    }

    private static String next(String option, Iterator<String> it) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return it.next();
    }

    private static String usage() {
        return String.join("\n",
                DriverOptions.usage(),
                "load-driver upstream --ca-out PEM --port-file FILE [--body-bytes N] [--plain-http]",
                "load-driver report RESULTS.jsonl");
    }
}
