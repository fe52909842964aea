package dev.chaperone.spi.testing;

import java.util.Objects;

import dev.chaperone.spi.FilterResponse;
import dev.chaperone.spi.Headers;

/**
 * The head of an upstream response as the server hands it to {@link dev.chaperone.spi.Filter#onResponse},
 * built by hand for tests.
 *
 * @param status the upstream's status code
 * @param headers the response headers, which the filter may change
 */
public record FakeFilterResponse(int status, Headers headers) implements FilterResponse {

    /** Checks only that the headers are there. */
    public FakeFilterResponse {
        Objects.requireNonNull(headers, "headers");
    }

    /** A response of that status without headers. */
    public FakeFilterResponse(int status) {
        this(status, new Headers());
    }

    /** Adds a header as the upstream sent it. */
    public FakeFilterResponse withHeader(String name, String value) {
        headers.add(name, value);
        return this;
    }
}
