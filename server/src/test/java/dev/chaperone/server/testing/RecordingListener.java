package dev.chaperone.server.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.chaperone.server.audit.ExchangeRecord;
import dev.chaperone.server.audit.ProxyListener;

/** Keeps everything the proxy reports, for assertions. */
public final class RecordingListener implements ProxyListener {

    private final List<ExchangeRecord> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger handshakesSucceeded = new AtomicInteger();
    private final AtomicInteger handshakesFailed = new AtomicInteger();
    private final AtomicInteger leavesMinted = new AtomicInteger();

    @Override
    public void onExchange(ExchangeRecord record) {
        exchanges.add(record);
    }

    @Override
    public void onClientConnection(int delta) {
        openConnections.addAndGet(delta);
    }

    @Override
    public void onTlsHandshake(boolean success) {
        (success ? handshakesSucceeded : handshakesFailed).incrementAndGet();
    }

    @Override
    public void onLeafCertificate(boolean cacheHit) {
        if (!cacheHit) {
            leavesMinted.incrementAndGet();
        }
    }

    public List<ExchangeRecord> exchanges() {
        return List.copyOf(exchanges);
    }

    /**
     * The first record matching {@code condition}, waiting up to five seconds for it: a record is reported
     * when an exchange ends, which may be just after the client has read its answer.
     */
    public ExchangeRecord awaitExchange(Predicate<ExchangeRecord> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (ExchangeRecord record : exchanges) {
                if (condition.test(record)) {
                    return record;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no matching exchange was recorded; recorded: " + exchanges);
    }

    public int openConnections() {
        return openConnections.get();
    }

    public int handshakesSucceeded() {
        return handshakesSucceeded.get();
    }

    public int handshakesFailed() {
        return handshakesFailed.get();
    }

    public int leavesMinted() {
        return leavesMinted.get();
    }
}
