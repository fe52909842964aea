package dev.chaperone.admin.resources;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The OpenAPI 3 description of this API, kept beside the code and checked against it by a test. */
@Path("/v1/openapi.json")
public final class OpenApiResource {

    /** Where the document lives on the class path. */
    public static final String DOCUMENT = "/dev/chaperone/admin/openapi.json";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] document() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }
}
