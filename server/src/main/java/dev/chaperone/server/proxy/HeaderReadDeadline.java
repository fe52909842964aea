package dev.chaperone.server.proxy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a client connection that has not delivered a complete request head in time. The idle timeout
 * alone does not stop a client that sends one header byte just before each timeout (slowloris); this
 * deadline runs from the moment the connection (or a tunnel's TLS session) is ready, or an HTTP/1.1
 * connection's previous exchange ended, whatever the client sends. HTTP/2 connections get it for their
 * first request only; later streams are bounded by the idle timeout and the stream limits.
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

    /**
     * A callback that starts the deadline of the connection's next request head and then completes
     * {@code exchangeDone}. HTTP/1.1 parses the next request only once the current exchange has completed,
     * so the deadline is always armed before that request can disarm it.
     */
    Callback rearmBefore(Callback exchangeDone, EndPoint endPoint) {
        return new Callback() {
            @Override
            public void succeeded() {
                if (endPoint.isOpen()) {
                    arm(endPoint);
                }
                exchangeDone.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                exchangeDone.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return exchangeDone.getInvocationType();
            }
        };
    }

    /** Called when a request head arrived on {@code endPoint} or it closed: the deadline no longer applies. */
    void disarm(EndPoint endPoint) {
        Scheduler.Task task = pending.remove(endPoint);
        if (task != null) {
            task.cancel();
        }
    }
}
