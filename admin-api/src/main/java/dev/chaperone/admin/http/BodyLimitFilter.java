package dev.chaperone.admin.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import dev.chaperone.admin.problem.ProblemException;
import dev.chaperone.admin.problem.ProblemType;

/**
 * Refuses request bodies over {@link #LIMIT} with 413. The body is read here, after authentication, so that
 * the limit holds whether or not the client declared a length.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION + 100)
public final class BodyLimitFilter implements ContainerRequestFilter {

    /** The largest body an admin call accepts: 1 MiB. */
    public static final int LIMIT = 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && isOverLimit(declared)) {
            throw tooLarge();
        }
        if (!request.hasEntity()) {
            return;
        }
        InputStream in = request.getEntityStream();
        byte[] body = in.readNBytes(LIMIT + 1);
        if (body.length > LIMIT) {
            throw tooLarge();
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    private static boolean isOverLimit(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip()) > LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ProblemException tooLarge() {
        return ProblemException.of(ProblemType.PAYLOAD_TOO_LARGE, "request bodies are limited to " + LIMIT
                + " bytes");
    }
}
