package dev.chaperone.loaddriver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line of the benchmark tools: {@code run} drives load and prints one JSON result line, {@code serve}
 * does the same for every line of arguments it reads from standard input, {@code upstream} serves the
 * benchmark's local upstream until killed, {@code report} prints the ratio table of a session's result file.
 */
public final class LoadDriverMain {
    private static final Logger LOG = LoggerFactory.getLogger(LoadDriverMain.class);
    private static final ObjectMapper JSON = new ObjectMapper();

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
                case "serve" -> serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                        System.out);
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
        System.out.println(runOnce(DriverOptions.parse(args)).toJsonLine());
        // Jetty's threads are not daemons; a run is over once its line is printed.
        System.exit(0);
    }

    /**
     * Performs one run per line read, each line holding the arguments of {@code run} separated by white space,
     * and writes one JSON line per run line: its result, or {@code {"error": ...}} when the line or the run
     * failed. A benchmark session keeps one such process for all its runs, so the driver's own code is
     * compiled once and every run after the first measures the target, not the driver's just-in-time compiler.
     */
    static void serve(BufferedReader commands, PrintStream out) throws IOException {
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            String answer;
            try {
                answer = runOnce(DriverOptions.parse(List.of(line.strip().split("\\s+")))).toJsonLine();
            } catch (IllegalArgumentException e) {
                answer = errorLine(e.getMessage());
            } catch (Exception e) {
                LOG.warn("run failed: {}", line, e);
                answer = errorLine(e.toString());
            }
            out.println(answer);
            out.flush();
        }
    }

    private static String errorLine(String message) {
        try {
            return JSON.writeValueAsString(Map.of("error", String.valueOf(message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string map is always JSON", e);
        }
    }

    private static RunResult runOnce(DriverOptions options) throws Exception {
        RunResult result;
        try (LoadDriver driver = new LoadDriver(options)) {
            result = driver.run();
        }
        LOG.info("{}: {} req/s, p50 {} us, p99 {} us, {} errors{}", result.label(), Math.round(result.throughput()),
                Math.round(result.p50Us()), Math.round(result.p99Us()), result.errors(),
                result.firstError() == null ? "" : " (first: " + result.firstError() + ")");
        return result;
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
                "load-driver serve   (reads the arguments of one run per line from standard input)",
                "load-driver upstream --ca-out PEM --port-file FILE [--body-bytes N] [--plain-http]",
                "load-driver report RESULTS.jsonl");
    }
}
