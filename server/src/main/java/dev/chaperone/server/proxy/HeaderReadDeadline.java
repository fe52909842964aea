package dev.chaperone.server.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a client connection that has not delivered a complete request head in time. The idle timeout
 * alone does not stop a client that sends one header byte just before each timeout (slowloris); this
 * deadline runs from the moment the connection (or a tunnel's TLS session) is ready, whatever the client
 * sends.
 *
 * <p>TODO(#5): later requests of a keep-alive HTTP/1.1 connection are held only by the idle timeout; a
 * deadline per request head needs to know when Jetty starts parsing the next one.
 */
final class HeaderReadDeadline {

    private final Scheduler scheduler;
    private final Duration timeout;
    private final Map<EndPoint, Scheduler.Task> pending = new ConcurrentHashMap<>();

    HeaderReadDeadline(Scheduler scheduler, Duration timeout) {
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    /** Starts the deadline of {@code endPoint}'s first request head. */
    void arm(EndPoint endPoint) {
        Scheduler.Task task = scheduler.schedule(() -> {
            if (pending.remove(endPoint) != null) {
                endPoint.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        Scheduler.Task previous = pending.put(endPoint, task);
        if (previous != null) {
            previous.cancel();
        }
    }

    /** Called when a request head arrived on {@code endPoint} or it closed: the deadline no longer applies. */
    void disarm(EndPoint endPoint) {
        Scheduler.Task task = pending.remove(endPoint);
        if (task != null) {
            task.cancel();
        }
    }
}
