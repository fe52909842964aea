package dev.chaperone.admin.http;

import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Gives every admin request an id, returned in {@code X-Request-Id} and carried by error bodies, audit events
 * and log lines, so that an operator can find what the server logged about a failed call.
 */
@Provider
@PreMatching
@Priority(100)
public final class RequestIdFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** The request property holding the id. */
    public static final String PROPERTY = "dev.chaperone.admin.requestId";

    /** The response header carrying the id. */
    public static final String HEADER = "X-Request-Id";

    private final SecureRandom random = new SecureRandom();

    @Override
    public void filter(ContainerRequestContext request) {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        request.setProperty(PROPERTY, HexFormat.of().formatHex(bytes));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id.toString());
        }
    }

    /** The id of a request. */
    public static String of(ContainerRequestContext request) {
        Object id = request.getProperty(PROPERTY);
        return id == null ? "" : id.toString();
    }
}
