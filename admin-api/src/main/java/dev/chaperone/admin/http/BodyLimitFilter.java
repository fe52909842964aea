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
 *
 * <p>A body somewhat over the limit is read to its end before the refusal: a server that answers and closes
 * while the client is still sending makes the client's TCP stack drop the answer, and the client sees a
 * broken connection instead of a 413. Bodies declared far larger are refused at once.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION + 100)
public final class BodyLimitFilter implements ContainerRequestFilter {

    /** The largest body an admin call accepts: 1 MiB. */
    public static final int LIMIT = 1024 * 1024;

    /** How much of an oversized body is read and thrown away so that the client gets to read the 413. */
    private static final long DRAIN_LIMIT = 16L * LIMIT;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && isOver(declared, DRAIN_LIMIT)) {
            throw tooLarge();
        }
        if (!request.hasEntity()) {
            return;
        }
        InputStream in = request.getEntityStream();
        byte[] body = in.readNBytes(LIMIT + 1);
        if (body.length > LIMIT) {
            drain(in);
            throw tooLarge();
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    private static boolean isOver(String contentLength, long limit) {
        return declaredLength(contentLength) > limit;
    }

    private static long declaredLength(String contentLength) {
        try {
            return contentLength == null ? -1 : Long.parseLong(contentLength.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads and discards what is left of a body, up to {@link #DRAIN_LIMIT}. */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long drained = 0;
        int read;
        while (drained < DRAIN_LIMIT && (read = in.read(buffer)) >= 0) {
            drained += read;
        }
    }

    private static ProblemException tooLarge() {
        return ProblemException.of(ProblemType.PAYLOAD_TOO_LARGE, "request bodies are limited to " + LIMIT
                + " bytes");
    }
}
