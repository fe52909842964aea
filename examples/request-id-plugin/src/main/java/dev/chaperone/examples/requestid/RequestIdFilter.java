package dev.chaperone.examples.requestid;

import java.util.Objects;

import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;

/**
 * Sets the request id header on each request to the id the proxy gave the request, replacing any value the
 * sandbox sent, so the upstream's logs and Chaperone's audit log can be matched line by line.
 *
 * <p>It has no opinion on whether the request may go out: other filters of the chain decide that.
 */
final class RequestIdFilter implements Filter {

    private final String header;

    RequestIdFilter(String header) {
        this.header = Objects.requireNonNull(header, "header");
    }

    @Override
    public Decision onRequest(FilterRequest request) {
        request.headers().set(header, request.requestId());
        return Decision.proceed();
    }
}
