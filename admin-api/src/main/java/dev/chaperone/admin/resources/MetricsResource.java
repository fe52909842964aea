package dev.chaperone.admin.resources;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import dev.chaperone.admin.MetricsWriter;

/** The server's metrics in the Prometheus text format. */
@Path("/metrics")
public final class MetricsResource {

    private final MetricsWriter metrics;

    @Inject
    public MetricsResource(MetricsWriter metrics) {
        this.metrics = metrics;
    }

    @GET
    @Produces({MetricsWriter.PROMETHEUS_TEXT, "text/plain"})
    public Response metrics() {
        StreamingOutput body = metrics::writeTo;
        return Response.ok(body).type(MetricsWriter.PROMETHEUS_TEXT).build();
    }
}
