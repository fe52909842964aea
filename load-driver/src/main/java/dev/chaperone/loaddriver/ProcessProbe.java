package dev.chaperone.loaddriver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a process under test has spent, from Linux {@code /proc} and, for a JVM, from {@code jcmd}: CPU
 * time, resident memory and the Java heap in use.
 */
final class ProcessProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessProbe.class);
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final long pid;
    private final long clockTicksPerSecond;

    /**
     * @param pid the process to watch
     * @param clockTicksPerSecond the kernel's {@code USER_HZ}, as {@code getconf CLK_TCK} prints it
     */
    ProcessProbe(long pid, long clockTicksPerSecond) {
        if (pid <= 0 || clockTicksPerSecond <= 0) {
            throw new IllegalArgumentException("pid and clockTicksPerSecond must be positive");
        }
        this.pid = pid;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** User plus system CPU time the process has used so far, in microseconds. */
    long cpuMicros() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        return cpuTicks(stat) * 1_000_000L / clockTicksPerSecond;
    }

    /** Resident set size in KiB. */
    long rssKiB() throws IOException {
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII);
        return rssKiB(status);
    }

    /**
     * The Java heap in use after a full collection, in KiB, or empty when the process is not a JVM that
     * {@code jcmd} can reach.
     */
    OptionalLong heapUsedAfterGcKiB() {
        try {
            // jcmd attaches by sending SIGQUIT, which kills a process that is not a JVM: ask the JVM list first.
            if (!listsPid(run("jcmd", "-l"), pid)) {
                LOG.info("no heap figure: process {} is not a JVM that jcmd can reach", pid);
                return OptionalLong.empty();
            }
            jcmd("GC.run");
            return heapUsedKiB(jcmd("GC.heap_info"));
        } catch (IOException e) {
            LOG.info("no heap figure for process {}: {}", pid, e.getMessage());
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        return run("jcmd", Long.toString(pid), command);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    /** Whether the output of {@code jcmd -l} (one {@code <pid> <main class>} line per JVM) lists {@code pid}. */
    static boolean listsPid(String jvmList, long pid) {
        String prefix = pid + " ";
        return jvmList.lines().anyMatch(line -> line.startsWith(prefix) || line.equals(Long.toString(pid)));
    }

    /** utime plus stime, fields 14 and 15 of a {@code /proc/<pid>/stat} line, in clock ticks. */
    static long cpuTicks(String statLine) {
        // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
        int endOfName = statLine.lastIndexOf(')');
        if (endOfName < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        }
        String[] fields = statLine.substring(endOfName + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n sits at index n - 3.
        if (fields.length < 13) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat line: " + statLine);
        }
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** The {@code VmRSS} of a {@code /proc/<pid>/status} text, in KiB. */
    static long rssKiB(String statusText) {
        Matcher matcher = VM_RSS.matcher(statusText);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no VmRSS line in /proc/<pid>/status");
        }
        return Long.parseLong(matcher.group(1));
    }

    /** The heap in use, in KiB, from the output of {@code jcmd <pid> GC.heap_info}. */
    static OptionalLong heapUsedKiB(String heapInfo) {
        Matcher matcher = HEAP_USED.matcher(heapInfo);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }
}
