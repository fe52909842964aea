package dev.chaperone.loaddriver;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.eclipse.jetty.client.BasicAuthentication;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one run's requests with Jetty's {@link HttpClient}, directly or through an HTTP proxy, and measures
 * them: open loop at a fixed rate or closed loop with a fixed number of requests in flight, in any
 * {@link Mode}. Also watches the proxy's process when asked to.
 */
final class LoadDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadDriver.class);
    /** Delay before the first request, so that start-up work is not counted against it. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final DriverOptions options;
    private final HttpClient client;
    private final ProcessProbe probe;
    private final AtomicLong nextHostIndex = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final Set<String> negotiated = ConcurrentHashMap.newKeySet();
    private volatile boolean issuing = true;
    private volatile boolean hostsExhausted;

    LoadDriver(DriverOptions options) throws Exception {
        this.options = Objects.requireNonNull(options, "options");
        this.client = newClient(options);
        this.probe = options.proxyPid().isPresent()
                ? new ProcessProbe(options.proxyPid().getAsLong(), options.clockTicksPerSecond())
                : null;
        client.start();
    }

    private static HttpClient newClient(DriverOptions options) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (!options.caFiles().isEmpty()) {
            tls.setTrustStore(PemTrustStore.load(options.caFiles()));
        }
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        // The machine running the benchmark is small; one selector is plenty for loopback traffic.
        connector.setSelectors(1);

        List<ClientConnectionFactory.Info> protocols = new ArrayList<>();
        if (options.protocol() == Protocol.H2) {
            protocols.add(new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)));
        }
        // HTTP/1.1 is always listed: the CONNECT to the proxy and plain HTTP requests use it.
        protocols.add(HttpClientConnectionFactory.HTTP11);
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector,
                protocols.toArray(ClientConnectionFactory.Info[]::new)));
        client.setFollowRedirects(false);
        client.setConnectTimeout(10_000);
        client.setIdleTimeout(Math.max(60_000, options.hold().toMillis() + options.duration().toMillis() + 60_000));
        client.setMaxConnectionsPerDestination(options.connections());
        // An open loop that outruns its target must queue, not fail: the queueing shows up as latency.
        client.setMaxRequestsQueuedPerDestination(10_000_000);
        client.setUserAgentField(null);

        options.resolveAllTo().ifPresent(address -> client.setSocketAddressResolver(
                (host, port, context, promise) -> promise.succeeded(List.of(new InetSocketAddress(address, port)))));
        options.proxy().ifPresent(proxy -> {
            HttpProxy httpProxy = new HttpProxy(proxy.host(), proxy.port());
            client.getProxyConfiguration().addProxy(httpProxy);
            if (proxy.user().isPresent()) {
                // Sent up front on every CONNECT and absolute-form request rather than after a 407 challenge.
                client.getAuthenticationStore().addAuthenticationResult(new BasicAuthentication.BasicResult(
                        httpProxy.getURI(), HttpHeader.PROXY_AUTHORIZATION, proxy.user().get(),
                        proxy.password().orElseThrow()));
            }
        });
        return client;
    }

    /** Performs the run and returns its figures. */
    RunResult run() throws Exception {
        return options.mode() == Mode.IDLE_HOLD ? runIdleHold() : runLoad();
    }

    private RunResult runLoad() throws Exception {
        prime();
        Long rssBefore = probe == null ? null : probe.rssKiB();
        Long heapBefore = heapKiB();
        long startNanos = System.nanoTime() + START_DELAY_NANOS;
        long measureFrom = startNanos + options.warmup().toNanos();
        long measureUntil = measureFrom + options.duration().toNanos();
        LatencyRecorder recorder = new LatencyRecorder(measureFrom, measureUntil);

        Thread issuer;
        if (options.openLoop()) {
            OpenLoopPacer pacer = new OpenLoopPacer(options.rate(), startNanos, System::nanoTime,
                    LockSupport::parkNanos);
            issuer = new Thread(() -> issueOnSchedule(pacer, measureUntil, recorder), "open-loop-pacer");
            issuer.setDaemon(true);
            issuer.start();
        } else {
            issuer = null;
            sleepUntil(startNanos);
            for (int i = 0; i < options.connections(); i++) {
                issueNextInClosedLoop(recorder);
            }
        }

        sleepUntil(measureFrom);
        long cpuBefore = probe == null ? 0 : probe.cpuMicros();
        long completedBefore = recorder.completed();
        sleepUntil(measureUntil);
        long cpuAfter = probe == null ? 0 : probe.cpuMicros();
        long completedAfter = recorder.completed();
        Long rssAfter = probe == null ? null : probe.rssKiB();

        issuing = false;
        if (issuer != null) {
            issuer.join();
        }
        awaitInFlight();
        Long heapAfter = heapKiB();
        if (hostsExhausted) {
            LOG.warn("{}: ran out of unique host names; give a larger --host-range", options.label());
        }
        Double cpuPerRequest = probe == null || completedAfter == completedBefore
                ? null
                : (double) (cpuAfter - cpuBefore) / (completedAfter - completedBefore);
        return result(recorder.snapshot(), cpuPerRequest, rssBefore, rssAfter, heapBefore, heapAfter);
    }

    /**
     * Sends one request per connection (at most 64) and waits for them, so that connections are open and the
     * first, slow handshakes of a fresh JVM are done before the warm-up clock starts.
     */
    private void prime() throws InterruptedException {
        int count = Math.min(options.connections(), 64);
        LatencyRecorder measuresNothing = new LatencyRecorder(0, 0);
        CountDownLatch primed = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            if (!send(System.nanoTime(), measuresNothing, primed::countDown)) {
                primed.countDown();
            }
        }
        if (!primed.await(options.requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            LOG.warn("{}: priming requests did not complete; starting anyway", options.label());
        }
    }

    /**
     * Sends every request due before {@code endNanos}, however late: a pacer that stopped at the end of the
     * window would drop exactly the requests a slow target made it fall behind on.
     */
    private void issueOnSchedule(OpenLoopPacer pacer, long endNanos, LatencyRecorder recorder) {
        for (long index = 0; !hostsExhausted; index++) {
            long intended = pacer.awaitSlot(index);
            if (intended >= endNanos) {
                return;
            }
            if (!send(intended, recorder, () -> { })) {
                return;
            }
        }
    }

    private void issueNextInClosedLoop(LatencyRecorder recorder) {
        if (issuing) {
            send(System.nanoTime(), recorder, () -> issueNextInClosedLoop(recorder));
        }
    }

    /**
     * Sends one request due at {@code intendedStartNanos} and records its outcome, then runs {@code andThen};
     * returns false, having sent nothing, when the unique host names are used up.
     */
    private boolean send(long intendedStartNanos, LatencyRecorder recorder, Runnable andThen) {
        URI uri = nextUri();
        if (uri == null) {
            hostsExhausted = true;
            issuing = false;
            return false;
        }
        inFlight.incrementAndGet();
        Request request = client.newRequest(uri).method(HttpMethod.GET)
                .timeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (options.mode() == Mode.KEEP_ALIVE) {
            request.send(result -> {
                record(intendedStartNanos, result, recorder);
                finish(andThen, result.isFailed());
            });
        } else {
            sendOnNewConnection(request, (connection, result) -> {
                record(intendedStartNanos, result, recorder);
                connection.close();
                finish(andThen, result.isFailed());
            }, failure -> {
                recorder.recordError(intendedStartNanos, describe(failure));
                finish(andThen, true);
            });
        }
        return true;
    }

    private void finish(Runnable andThen, boolean failed) {
        inFlight.decrementAndGet();
        if (failed) {
            // A request can fail before it was ever sent, on the caller's stack: do not recurse into the next.
            client.getExecutor().execute(andThen);
        } else {
            andThen.run();
        }
    }

    private void sendOnNewConnection(Request request, ConnectionResultListener onResult,
            Consumer<Throwable> onConnectFailure) {
        Destination destination = client.resolveDestination(request);
        destination.newConnection().whenComplete((connection, failure) -> {
            if (options.mode() == Mode.UNIQUE_HOSTS) {
                // Every destination is used once; keep the client from accumulating them.
                client.removeDestination(destination);
            }
            if (failure != null) {
                onConnectFailure.accept(failure);
            } else {
                connection.send(request, result -> onResult.onComplete(connection, result));
            }
        });
    }

    private URI nextUri() {
        URI target = options.target();
        if (options.mode() != Mode.UNIQUE_HOSTS) {
            return target;
        }
        long offset = nextHostIndex.getAndIncrement();
        if (offset >= options.hostCount()) {
            return null;
        }
        String host = "h" + (options.firstHostIndex() + offset) + "." + target.getHost();
        return URI.create(target.getScheme() + "://" + host + ":" + port(target) + rawPath(target));
    }

    private void record(long intendedStartNanos, Result result, LatencyRecorder recorder) {
        long now = System.nanoTime();
        if (result.isFailed()) {
            recorder.recordError(intendedStartNanos, describe(result.getFailure()));
            return;
        }
        negotiated.add(result.getResponse().getVersion().asString());
        int status = result.getResponse().getStatus();
        if (status == HttpStatus.OK_200) {
            recorder.recordSuccess(intendedStartNanos, now);
        } else {
            recorder.recordError(intendedStartNanos, "status " + status);
        }
    }

    private RunResult runIdleHold() throws Exception {
        Long rssBefore = probe == null ? null : probe.rssKiB();
        Long heapBefore = heapKiB();
        LatencyRecorder recorder = new LatencyRecorder(Long.MIN_VALUE, Long.MAX_VALUE);
        List<Connection> held = new ArrayList<>();
        // Open the connections a few dozen at a time: a burst of thousands of handshakes measures nothing useful.
        Semaphore setups = new Semaphore(32);
        long started = System.nanoTime();
        for (int i = 0; i < options.connections(); i++) {
            setups.acquire();
            long intended = System.nanoTime();
            Request request = client.newRequest(options.target()).method(HttpMethod.GET)
                    .timeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            sendOnNewConnection(request, (connection, result) -> {
                record(intended, result, recorder);
                if (result.isFailed()) {
                    connection.close();
                } else {
                    synchronized (held) {
                        held.add(connection);
                    }
                }
                setups.release();
            }, failure -> {
                recorder.recordError(intended, describe(failure));
                setups.release();
            });
        }
        setups.acquire(32);
        double setupSeconds = (System.nanoTime() - started) / 1e9;
        int holding;
        synchronized (held) {
            holding = held.size();
        }
        LOG.info("{}: holding {} idle connections", options.label(), holding);

        // Let the proxy settle (buffers released, handshakes finished) before it is measured.
        TimeUnit.SECONDS.sleep(2);
        Long rssAfter = probe == null ? null : probe.rssKiB();
        Long heapAfter = heapKiB();
        TimeUnit.MILLISECONDS.sleep(options.hold().toMillis());
        synchronized (held) {
            held.forEach(Connection::close);
        }

        Double rssPerConnection = rssBefore == null || holding == 0 ? null
                : (double) (rssAfter - rssBefore) / holding;
        Double heapPerConnection = heapBefore == null || heapAfter == null || holding == 0 ? null
                : (double) (heapAfter - heapBefore) / holding;
        LatencyRecorder.Snapshot snapshot = recorder.snapshot();
        return new RunResult(options.label(), options.mode().cliName(), options.protocol().cliName(), "closed",
                options.target().toString(), options.proxy().isPresent(), 0, options.connections(), setupSeconds,
                snapshot.requests(), snapshot.errors(), (snapshot.requests() - snapshot.errors()) / setupSeconds,
                snapshot.percentileMicros(50), snapshot.percentileMicros(90), snapshot.percentileMicros(99),
                snapshot.percentileMicros(99.9), snapshot.latencyNanos().getMaxValue() / 1_000.0,
                snapshot.latencyNanos().getMean() / 1_000.0, snapshot.completed(), negotiatedVersions(),
                snapshot.firstError(), null, rssBefore, rssAfter, heapBefore, heapAfter, holding, rssPerConnection,
                heapPerConnection);
    }

    private RunResult result(LatencyRecorder.Snapshot snapshot, Double cpuPerRequest, Long rssBefore,
            Long rssAfter, Long heapBefore, Long heapAfter) {
        double seconds = options.duration().toNanos() / 1e9;
        return new RunResult(options.label(), options.mode().cliName(), options.protocol().cliName(),
                options.openLoop() ? "open" : "closed", options.target().toString(), options.proxy().isPresent(),
                options.rate(), options.connections(), seconds, snapshot.requests(), snapshot.errors(),
                (snapshot.requests() - snapshot.errors()) / seconds, snapshot.percentileMicros(50),
                snapshot.percentileMicros(90), snapshot.percentileMicros(99), snapshot.percentileMicros(99.9),
                snapshot.latencyNanos().getMaxValue() / 1_000.0, snapshot.latencyNanos().getMean() / 1_000.0,
                snapshot.completed(), negotiatedVersions(), snapshot.firstError(), cpuPerRequest, rssBefore,
                rssAfter, heapBefore, heapAfter, null, null, null);
    }

    private String negotiatedVersions() {
        return String.join(",", new TreeSet<>(negotiated));
    }

    private Long heapKiB() {
        if (probe == null || !options.proxyIsJvm()) {
            return null;
        }
        OptionalLong heap = probe.heapUsedAfterGcKiB();
        return heap.isPresent() ? heap.getAsLong() : null;
    }

    private void awaitInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + options.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        if (inFlight.get() > 0) {
            LOG.warn("{}: {} requests still in flight at the end of the run", options.label(), inFlight.get());
        }
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        for (long wait = deadlineNanos - System.nanoTime(); wait > 0; wait = deadlineNanos - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static String rawPath(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client did not stop", e);
        }
    }

    /** Receives the result of a request sent on a connection of its own. */
    @FunctionalInterface
    private interface ConnectionResultListener {
        void onComplete(Connection connection, Result result);
    }
}
