package dev.chaperone.plugins.allowlist;

import java.util.Optional;

import dev.chaperone.plugins.matching.HostMatcher;
import dev.chaperone.plugins.matching.HostRule;
import dev.chaperone.spi.ConnectRequest;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;

/**
 * Marks requests that match one of its rules allowed and refuses every other one, naming why: the host (or
 * port) is not listed, or it is but not for this method or path. A target that no rule could ever allow is
 * refused at connect time, so the client gets no TLS handshake for it.
 */
final class AllowlistFilter implements Filter {

    static final String HOST_NOT_ALLOWED = "host_not_allowed";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String PATH_NOT_ALLOWED = "path_not_allowed";

    private final HostMatcher matcher;

    AllowlistFilter(HostMatcher matcher) {
        this.matcher = matcher;
    }

    @Override
    public Decision onConnect(ConnectRequest target) {
        if (matcher.find(target.host(), target.port()).isEmpty()) {
            return Decision.deny(HOST_NOT_ALLOWED, null);
        }
        return Decision.proceed();
    }

    @Override
    public Decision onRequest(FilterRequest request) {
        String host = request.host();
        int port = request.port();
        String method = request.method();
        String path = request.path();
        Optional<HostRule> allowing = matcher.find(host, port,
                rule -> rule.matchesMethod(method) && rule.matchesPath(path));
        if (allowing.isPresent()) {
            return Decision.allow(allowing.get().source());
        }
        if (matcher.find(host, port, rule -> rule.matchesMethod(method)).isPresent()) {
            return Decision.deny(PATH_NOT_ALLOWED, null);
        }
        if (matcher.find(host, port).isPresent()) {
            return Decision.deny(METHOD_NOT_ALLOWED, null);
        }
        return Decision.deny(HOST_NOT_ALLOWED, null);
    }

    @Override
    public String toString() {
        return "allowlist" + matcher.rules();
    }
}
