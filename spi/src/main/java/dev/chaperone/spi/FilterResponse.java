package dev.chaperone.spi;

/**
 * The head of an upstream response, as the chain sees it before the client does.
 *
 * @see Filter#onResponse
 */
public interface FilterResponse {

    /** The upstream's status code. */
    int status();

    /** The response headers, which the filter may change. Hop-by-hop headers are already removed. */
    Headers headers();
}
