package dev.chaperone.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.chaperone.server.audit.ExchangeRecord;

class MetricsTest {

    @Test
    void countsRequestsByDecisionFilterAndStatusClass() throws IOException {
        Metrics metrics = new Metrics(false);

        metrics.onExchange(exchange("forwarded", "allowlist", 200, Duration.ofMillis(30)));
        metrics.onExchange(exchange("denied", "allowlist", 403, Duration.ofMillis(1)));
        metrics.onExchange(exchange("denied", "allowlist", 403, Duration.ofMillis(2)));
        metrics.onExchange(exchange("failed", null, 0, Duration.ofMillis(2)));

        String text = scrape(metrics);
        assertThat(text.lines())
                .contains("chaperone_requests_total{decision=\"forwarded\",filter=\"allowlist\","
                        + "status_class=\"2xx\"} 1.0")
                .contains("chaperone_requests_total{decision=\"denied\",filter=\"allowlist\",status_class=\"4xx\"} 2.0")
                .contains("chaperone_requests_total{decision=\"failed\",filter=\"none\",status_class=\"none\"} 1.0");
    }

    @Test
    void recordsRequestDurationsInAHistogram() throws IOException {
        Metrics metrics = new Metrics(false);

        metrics.onExchange(exchange("forwarded", "allowlist", 200, Duration.ofMillis(30)));
        metrics.onExchange(exchange("forwarded", "allowlist", 200, Duration.ofSeconds(2)));

        String text = scrape(metrics);
        assertThat(text.lines())
                .contains("chaperone_request_duration_seconds_bucket{decision=\"forwarded\",le=\"0.05\"} 1")
                .contains("chaperone_request_duration_seconds_bucket{decision=\"forwarded\",le=\"2.5\"} 2")
                .contains("chaperone_request_duration_seconds_count{decision=\"forwarded\"} 2");
    }

    @Test
    void neverLabelsByHostOrInstanceUnlessAsked() throws IOException {
        Metrics metrics = new Metrics(false);

        metrics.onExchange(exchange("forwarded", "allowlist", 200, Duration.ofMillis(30)));

        assertThat(scrape(metrics)).doesNotContain("sandbox-1").doesNotContain("api.stripe.com");
    }

    @Test
    void labelsRequestsByInstanceWhenEnabled() throws IOException {
        Metrics metrics = new Metrics(true);

        metrics.onExchange(exchange("forwarded", "allowlist", 200, Duration.ofMillis(30)));

        assertThat(scrape(metrics).lines()).contains("chaperone_requests_total{decision=\"forwarded\","
                + "filter=\"allowlist\",instance=\"sandbox-1\",status_class=\"2xx\"} 1.0");
    }

    @Test
    void countsHandshakesCertificatesConnectionsAndAdminChanges() throws IOException {
        Metrics metrics = new Metrics(false);

        metrics.onTlsHandshake(true);
        metrics.onTlsHandshake(true);
        metrics.onTlsHandshake(false);
        metrics.onLeafCertificate(false);
        metrics.onLeafCertificate(true);
        metrics.onLeafCertificate(true);
        metrics.onClientConnection(1);
        metrics.onClientConnection(1);
        metrics.onClientConnection(1);
        metrics.onClientConnection(-1);
        metrics.onAdminChange("instance.put");

        assertThat(scrape(metrics).lines())
                .contains("chaperone_tls_handshakes_total{result=\"ok\"} 2.0")
                .contains("chaperone_tls_handshakes_total{result=\"failed\"} 1.0")
                .contains("chaperone_leaf_certificates_total{cache=\"hit\"} 2.0")
                .contains("chaperone_leaf_certificates_total{cache=\"miss\"} 1.0")
                .contains("chaperone_client_connections 2.0")
                .contains("chaperone_admin_changes_total{action=\"instance.put\"} 1.0");
    }

    @Test
    void namesStatusClasses() {
        assertThat(Metrics.statusClass(204)).isEqualTo("2xx");
        assertThat(Metrics.statusClass(502)).isEqualTo("5xx");
        assertThat(Metrics.statusClass(0)).isEqualTo("none");
    }

    private static String scrape(Metrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ExchangeRecord exchange(String decision, String filter, int status, Duration duration) {
        return new ExchangeRecord(Instant.parse("2026-01-02T03:04:05Z"), "sandbox-1", "req-1", "request", "GET",
                "https", "api.stripe.com", 443, "/v1/charges", decision, filter, null, null, status, 0, 0, duration,
                null, "HTTP/1.1");
    }
}
