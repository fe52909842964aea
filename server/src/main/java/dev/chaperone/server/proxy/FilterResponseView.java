package dev.chaperone.server.proxy;

import dev.chaperone.spi.FilterResponse;
import dev.chaperone.spi.Headers;

/** The upstream's response head as the chain sees and changes it before the client does. */
record FilterResponseView(int status, Headers headers) implements FilterResponse {
}
