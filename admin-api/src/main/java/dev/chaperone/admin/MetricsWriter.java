package dev.chaperone.admin;

import java.io.IOException;
import java.io.OutputStream;

/** Writes the server's metrics for {@code GET /metrics}, in the Prometheus text format. */
@FunctionalInterface
public interface MetricsWriter {

    /** The media type of what {@link #writeTo} writes. */
    String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** Writes a snapshot of every metric; called on an admin thread, may be called concurrently. */
    void writeTo(OutputStream out) throws IOException;
}
