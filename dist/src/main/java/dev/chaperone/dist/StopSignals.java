package dev.chaperone.dist;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into a request to stop. The JVM's own handlers would exit with 128 plus the signal
 * number (143 for SIGTERM) however cleanly the server stopped, which service managers report as a failure;
 * with these handlers the server stops gracefully and exits 0.
 *
 * <p>Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the only way the JDK offers to handle
 * a signal. Where it cannot be used the JVM's handlers stay, and the shutdown hook still stops the server.
 */
final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> NAMES = List.of("TERM", "INT");

    private final Map<Signal, SignalHandler> previous;

    private StopSignals(Map<Signal, SignalHandler> previous) {
        this.previous = previous;
    }

    /**
     * Runs {@code onStop} on a signal thread when SIGTERM or SIGINT arrives, instead of exiting the JVM;
     * {@code onStop} must return quickly (count down a latch, say).
     *
     * @return the installed handlers, whose {@link #close()} puts the previous ones back; handlers that could
     *     not be installed are left as they were
     */
    static StopSignals install(Runnable onStop) {
        Objects.requireNonNull(onStop, "onStop");
        SignalHandler handler = signal -> onStop.run();
        Map<Signal, SignalHandler> previous = new HashMap<>();
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, handler));
            } catch (IllegalArgumentException e) {
                // The JVM keeps this signal for itself (-Xrs, or an OS without it); its handler still exits.
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return new StopSignals(Map.copyOf(previous));
    }

    /** Whether SIGTERM is handled here rather than by the JVM. */
    boolean handlesTerm() {
        return previous.keySet().stream().anyMatch(signal -> signal.getName().equals("TERM"));
    }

    /** Puts the previous handlers back. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
