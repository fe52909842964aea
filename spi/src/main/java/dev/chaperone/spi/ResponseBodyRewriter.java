package dev.chaperone.spi;

import java.nio.ByteBuffer;

/**
 * Rewrites one upstream response body on its way to the client, chunk by chunk, as it streams. Returned by
 * {@link Filter#responseBody}; used for one response only, by one thread at a time.
 *
 * <p>A rewriter may hold bytes back (a secret could straddle two chunks) and give them out with a later
 * chunk; when {@code last} is {@code true} it must give out everything it still holds. It must not block.
 * An exception cuts the response off: the client gets a 500 if nothing was sent yet, otherwise a broken
 * connection, and a WARN line names the filter.
 */
@FunctionalInterface
public interface ResponseBodyRewriter {

    /**
     * Rewrites the next chunk of the body.
     *
     * @param chunk the bytes that arrived, possibly empty; read it, do not keep it beyond the call
     * @param last whether this is the end of the body (then {@code chunk} is usually empty)
     * @return the bytes to send on now, possibly empty
     */
    ByteBuffer rewrite(ByteBuffer chunk, boolean last);
}
