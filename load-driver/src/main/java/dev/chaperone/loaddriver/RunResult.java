package dev.chaperone.loaddriver;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The outcome of one run, printed as one JSON line so scripts can collect and compare runs. Latencies are in
 * microseconds from the time each request was due; the {@code proxy*} figures are present only when the run
 * watched the proxy's process, and the per-connection figures only for {@code idle-hold}.
 *
 * @param label the run's name, as given
 * @param mode see {@link Mode}
 * @param protocol {@code h1} or {@code h2}
 * @param loop {@code open} (fixed rate) or {@code closed} (as fast as it goes)
 * @param target the URL requested
 * @param proxied whether the requests went through a proxy
 * @param rate the open-loop rate in requests per second; 0 for a closed loop
 * @param connections see {@link DriverOptions#connections()}
 * @param durationSeconds the measured time
 * @param requests measured requests, successful or not
 * @param errors measured requests that failed or got another status than 200
 * @param throughput successful measured requests per second
 * @param p50Us median latency
 * @param p90Us 90th percentile
 * @param p99Us 99th percentile
 * @param p999Us 99.9th percentile
 * @param maxUs the slowest request
 * @param meanUs the mean
 * @param completed all completed requests, warm-up included (the denominator of the CPU figure)
 * @param negotiated the HTTP version the responses came back in, e.g. {@code HTTP/2.0}
 * @param firstError the first failure seen, or null
 * @param proxyCpuUsPerRequest proxy CPU (user plus system) per completed request, or null
 * @param proxyRssBeforeKiB proxy resident memory before the run, or null
 * @param proxyRssAfterKiB proxy resident memory at the end of the measurement, or null
 * @param proxyHeapBeforeKiB proxy heap in use after a full GC before the run, or null
 * @param proxyHeapAfterKiB proxy heap in use after a full GC at the end of the measurement, or null
 * @param idleConnections idle-hold: connections held open while the proxy was measured, or null
 * @param rssPerConnectionKiB idle-hold: growth of the proxy's RSS per held connection, or null
 * @param heapPerConnectionKiB idle-hold: growth of the proxy's heap per held connection, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RunResult(
        String label,
        String mode,
        String protocol,
        String loop,
        String target,
        boolean proxied,
        double rate,
        int connections,
        double durationSeconds,
        long requests,
        long errors,
        double throughput,
        double p50Us,
        double p90Us,
        double p99Us,
        double p999Us,
        double maxUs,
        double meanUs,
        long completed,
        String negotiated,
        String firstError,
        Double proxyCpuUsPerRequest,
        Long proxyRssBeforeKiB,
        Long proxyRssAfterKiB,
        Long proxyHeapBeforeKiB,
        Long proxyHeapAfterKiB,
        Integer idleConnections,
        Double rssPerConnectionKiB,
        Double heapPerConnectionKiB) {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    RunResult {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(negotiated, "negotiated");
    }

    /** This result as a single line of JSON, without a line break. */
    String toJsonLine() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run result could not be written as JSON", e);
        }
    }
}
