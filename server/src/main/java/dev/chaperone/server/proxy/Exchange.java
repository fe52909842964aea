package dev.chaperone.server.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.audit.ExchangeRecord;
import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.spi.SecretLookup;

/**
 * The state of one request (or refused tunnel) from arrival to its audit record: what was decided, by
 * whom, and which filters must be told that it ended. {@link #finish} runs once, whatever path the
 * exchange took.
 */
final class Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final ProxyListeners listeners;
    private final Instant time = Instant.now();
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();

    final String requestId;
    final String kind;
    final String method;
    final String scheme;
    final String protocol;
    final AtomicLong bytesUp = new AtomicLong();
    final AtomicLong bytesDown = new AtomicLong();

    String instanceId;
    String host;
    int port;
    String path;
    CompiledChain chain;
    SecretLookup secrets;
    FilterRequestView view;
    int filtersRan;
    volatile String upstreamAddress;
    private String decision = "failed";
    private String filter;
    private String reason;
    private String rule;

    Exchange(ProxyListeners listeners, String requestId, String kind, String method, String scheme,
            String protocol) {
        this.listeners = listeners;
        this.requestId = requestId;
        this.kind = kind;
        this.method = method;
        this.scheme = scheme;
        this.protocol = protocol;
    }

    /** Records what decided the exchange; the last call wins. */
    void decide(String decision, String filter, String reason, String rule) {
        this.decision = decision;
        this.filter = filter;
        this.reason = reason;
        this.rule = rule;
    }

    /** Records the allowing filter of a forwarded request, keeping the rule for the audit line. */
    void allowedBy(String filter, String rule) {
        if (this.filter == null) {
            this.filter = filter;
            this.rule = rule;
        }
    }

    void forwarded() {
        this.decision = "forwarded";
        this.reason = null;
    }

    /**
     * Ends the exchange: tells each filter whose {@code onRequest} ran, releases the chain and reports the
     * record. Only the first call has an effect.
     *
     * @param status the status the client got, or 0 when none was sent
     */
    void finish(int status) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        if (chain != null) {
            for (int i = 0; i < filtersRan; i++) {
                try {
                    chain.filters().get(i).onComplete(view, status);
                } catch (RuntimeException e) {
                    LOG.warn("filter {} ({}) of instance {} failed in onComplete: {}", i, chain.pluginAt(i),
                            instanceId, e.getClass().getName());
                }
            }
            chain.release();
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        ExchangeRecord record = new ExchangeRecord(time, instanceId, requestId, kind, method, scheme, host, port,
                path, decision, filter, reason, rule, status, bytesUp.get(), bytesDown.get(), duration,
                upstreamAddress, protocol);
        if (LOG.isDebugEnabled()) {
            // Guarded: ten arguments mean an array and two boxed numbers on every request otherwise.
            LOG.debug("{} {} {} {}://{}:{}{} -> {} {} {}", requestId, instanceId, method, scheme, host, port,
                    path == null ? "" : path, status, decision, reason == null ? "" : reason);
        }
        listeners.exchange(record);
    }
}
