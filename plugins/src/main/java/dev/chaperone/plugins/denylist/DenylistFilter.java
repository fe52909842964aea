package dev.chaperone.plugins.denylist;

import java.util.Optional;

import dev.chaperone.plugins.matching.HostMatcher;
import dev.chaperone.plugins.matching.HostRule;
import dev.chaperone.spi.ConnectRequest;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;

/**
 * Refuses requests that match one of its rules, naming the rule, whatever earlier filters decided; lets
 * every other request go on undecided. Rules for whole hosts refuse at connect time already.
 *
 * <p>Path rules match leniently (case, {@code ;parameters}, encoded and repeated slashes), because a
 * refusal that an upstream's looser reading of the path could slip past would protect nothing.
 */
final class DenylistFilter implements Filter {

    static final String HOST_DENIED = "host_denied";
    static final String METHOD_DENIED = "method_denied";
    static final String PATH_DENIED = "path_denied";

    private final HostMatcher matcher;

    DenylistFilter(HostMatcher matcher) {
        this.matcher = matcher;
    }

    @Override
    public Decision onConnect(ConnectRequest target) {
        Optional<HostRule> denying = matcher.find(target.host(), target.port(), HostRule::isHostOnly);
        return denying.map(rule -> Decision.deny(HOST_DENIED, rule.source())).orElse(Decision.proceed());
    }

    @Override
    public Decision onRequest(FilterRequest request) {
        String method = request.method();
        String path = request.path();
        Optional<HostRule> denying = matcher.find(request.host(), request.port(),
                rule -> rule.matchesMethod(method) && rule.matchesPathLeniently(path));
        return denying.map(rule -> Decision.deny(reason(rule), rule.source())).orElse(Decision.proceed());
    }

    private static String reason(HostRule rule) {
        if (rule.isHostOnly()) {
            return HOST_DENIED;
        }
        return rule.matchesPath("/") ? METHOD_DENIED : PATH_DENIED;
    }

    @Override
    public String toString() {
        return "denylist" + matcher.rules();
    }
}
