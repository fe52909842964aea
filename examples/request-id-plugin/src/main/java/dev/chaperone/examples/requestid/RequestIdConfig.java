package dev.chaperone.examples.requestid;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Headers;

/**
 * The configuration of a {@code request-id} chain entry, such as {@code {"header": "X-Correlation-Id"}}.
 *
 * @param header the header that carries the request id; {@value #DEFAULT_HEADER} when absent
 */
public record RequestIdConfig(String header) {

    /** The header used when the configuration names none. */
    public static final String DEFAULT_HEADER = "X-Request-Id";

    public RequestIdConfig {
        if (header == null) {
            header = DEFAULT_HEADER;
        }
        try {
            Headers.checkName(header);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("header", e.getMessage());
        }
    }
}
