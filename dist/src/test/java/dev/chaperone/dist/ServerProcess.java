package dev.chaperone.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/chaperone} started as a server process: its output (standard error merged in) is read as it
 * comes, so that the test can wait for a line, and the process is stopped with SIGTERM as a service manager
 * would stop it.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "chaperone-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code bin/chaperone} with these settings. */
    static ServerProcess start(Installation installation, Map<String, String> environment) throws IOException {
        return new ServerProcess(installation.launcher(environment).redirectErrorStream(true).start());
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process went away; what it printed so far is kept.
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    /**
     * Waits for the first line of output that {@code pattern} finds something in.
     *
     * @throws AssertionError when the process ends or stays silent too long first; the message holds its output
     */
    Matcher awaitLine(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int next = 0;
        synchronized (lines) {
            while (true) {
                for (; next < lines.size(); next++) {
                    Matcher matcher = pattern.matcher(lines.get(next));
                    if (matcher.find()) {
                        return matcher;
                    }
                }
                long left = deadline - System.nanoTime();
                if ((!reader.isAlive() && next == lines.size()) || left <= 0) {
                    throw new AssertionError("no line matching " + pattern + " in the output:\n" + output());
                }
                lines.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    /** Everything printed so far. */
    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /**
     * Sends SIGTERM and waits up to {@code timeout} for the process to end; then waits until its output is
     * read to the end.
     *
     * @return the exit code
     * @throws AssertionError when it did not end in time
     */
    int terminate(Duration timeout) throws InterruptedException {
        // Process.destroy() would also close the output pipe, losing what the process logs while it stops.
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running " + timeout + " after SIGTERM; output:\n" + output());
        }
        reader.join(LIMIT.toMillis());
        return process.exitValue();
    }

    /** Kills the process if a test left it running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
