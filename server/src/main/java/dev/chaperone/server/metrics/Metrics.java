package dev.chaperone.server.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import dev.chaperone.server.audit.ExchangeRecord;
import dev.chaperone.server.audit.ProxyListener;

/**
 * The proxy's Prometheus metrics: requests by outcome, latency, TLS handshakes, leaf certificate cache
 * use, open client connections and admin changes.
 *
 * <p>Every label takes few values (a decision, a plugin name, a status class), so the number of series
 * stays the same however many sandboxes and hosts there are. An {@code instance} label, one series per
 * sandbox, is added only when asked for, because a fleet of short-lived sandboxes would otherwise grow
 * the series without bound. Hosts are never labels.
 */
public final class Metrics implements ProxyListener {

    /** The content type of {@link #writeTo}'s output. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final String NONE = "none";

    /** Request durations from sub-millisecond refusals to long uploads and streams, in seconds. */
    private static final double[] DURATION_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final boolean instanceLabels;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram requestDuration;
    private final Counter tlsHandshakes;
    private final Counter leafCertificates;
    private final Gauge clientConnections;
    private final Counter adminChanges;

    /**
     * @param instanceLabels whether request series carry the instance id ({@code chaperone.metrics.instance-labels})
     */
    public Metrics(boolean instanceLabels) {
        this.instanceLabels = instanceLabels;
        String[] requestLabels = instanceLabels
                ? new String[] {"decision", "filter", "status_class", "instance"}
                : new String[] {"decision", "filter", "status_class"};
        this.requests = Counter.builder()
                .name("chaperone_requests_total")
                .help("Requests and refused tunnels by decision, deciding filter and status class")
                .labelNames(requestLabels)
                .withoutExemplars()
                .register(registry);
        this.requestDuration = Histogram.builder()
                .name("chaperone_request_duration_seconds")
                .help("Time from a request's arrival to the end of its exchange, by decision")
                .unit(Unit.SECONDS)
                .labelNames("decision")
                .classicOnly()
                .classicUpperBounds(DURATION_BUCKETS)
                .withoutExemplars()
                .register(registry);
        this.tlsHandshakes = Counter.builder()
                .name("chaperone_tls_handshakes_total")
                .help("TLS handshakes with clients inside tunnels, by result (ok, failed)")
                .labelNames("result")
                .withoutExemplars()
                .register(registry);
        this.leafCertificates = Counter.builder()
                .name("chaperone_leaf_certificates_total")
                .help("Leaf certificates needed for tunnels, by whether the cache had one (hit) or one was minted "
                        + "(miss)")
                .labelNames("cache")
                .withoutExemplars()
                .register(registry);
        this.clientConnections = Gauge.builder()
                .name("chaperone_client_connections")
                .help("Client connections to the proxy listener that are open now")
                .withoutExemplars()
                .register(registry);
        this.adminChanges = Counter.builder()
                .name("chaperone_admin_changes_total")
                .help("Changes made through the admin API, by action")
                .labelNames("action")
                .withoutExemplars()
                .register(registry);
        for (String result : new String[] {"ok", "failed"}) {
            tlsHandshakes.labelValues(result);
        }
        for (String cache : new String[] {"hit", "miss"}) {
            leafCertificates.labelValues(cache);
        }
    }

    @Override
    public void onExchange(ExchangeRecord record) {
        String decision = orNone(record.decision());
        String filter = orNone(record.filter());
        String statusClass = statusClass(record.status());
        if (instanceLabels) {
            requests.labelValues(decision, filter, statusClass, orNone(record.instanceId())).inc();
        } else {
            requests.labelValues(decision, filter, statusClass).inc();
        }
        if (record.duration() != null) {
            requestDuration.labelValues(decision).observe(record.duration().toNanos() / 1e9);
        }
    }

    @Override
    public void onClientConnection(int delta) {
        clientConnections.inc(delta);
    }

    @Override
    public void onTlsHandshake(boolean success) {
        tlsHandshakes.labelValues(success ? "ok" : "failed").inc();
    }

    @Override
    public void onLeafCertificate(boolean cacheHit) {
        leafCertificates.labelValues(cacheHit ? "hit" : "miss").inc();
    }

    @Override
    public void onAdminChange(String action) {
        adminChanges.labelValues(orNone(action)).inc();
    }

    /** Writes every series in the Prometheus text format (see {@link #CONTENT_TYPE}); the stream stays open. */
    public void writeTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
    }

    /** {@code 2xx} for 204, {@code none} when no status was sent. */
    static String statusClass(int status) {
        return status >= 100 && status <= 599 ? (status / 100) + "xx" : NONE;
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }
}
