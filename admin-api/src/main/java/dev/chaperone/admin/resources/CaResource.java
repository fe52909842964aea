package dev.chaperone.admin.resources;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import dev.chaperone.admin.CaCertificateSource;

/** The CA certificate that sandboxes must trust for intercepted TLS. */
@Path("/v1/ca")
public final class CaResource {

    /** The media type of a PEM certificate. */
    public static final String PEM = "application/x-pem-file";

    private final CaCertificateSource ca;

    @Inject
    public CaResource(CaCertificateSource ca) {
        this.ca = ca;
    }

    @GET
    @Produces(PEM)
    public String pem() {
        return ca.pem();
    }
}
