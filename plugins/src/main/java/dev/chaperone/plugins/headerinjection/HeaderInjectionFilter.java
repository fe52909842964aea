package dev.chaperone.plugins.headerinjection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.chaperone.plugins.common.SecretReferences;
import dev.chaperone.plugins.matching.HostMatcher;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.SecretLookup;
import dev.chaperone.spi.SecretTemplate;

/**
 * Writes configured headers and query parameters into requests to its hosts, resolving secrets per request.
 * It never decides whether a request may go out; but when a secret it needs is missing or unusable, it
 * refuses the request rather than let it leave without its credential.
 *
 * <p>Resolved values exist only inside {@link #onRequest}; nothing here logs, prints or returns them.
 */
final class HeaderInjectionFilter implements Filter {

    static final String SECRET_INVALID = "secret_invalid";

    /** A header or query parameter to write, and its value as configured. */
    record Injection(String name, SecretTemplate value) {

        /** The name only: a configured value may be a credential written in plain. */
        @Override
        public String toString() {
            return name;
        }
    }

    private final HostMatcher hosts;
    private final List<Injection> set;
    private final List<Injection> add;
    private final List<String> remove;
    private final List<Injection> query;
    private final boolean allowPlaintext;
    private final Set<String> secretNames;

    HeaderInjectionFilter(HostMatcher hosts, List<Injection> set, List<Injection> add, List<String> remove,
            List<Injection> query, boolean allowPlaintext) {
        this.hosts = hosts;
        this.set = List.copyOf(set);
        this.add = List.copyOf(add);
        this.remove = List.copyOf(remove);
        this.query = List.copyOf(query);
        this.allowPlaintext = allowPlaintext;
        this.secretNames = SecretReferences.names(Stream.of(this.set, this.add, this.query)
                .flatMap(List::stream).map(Injection::value).toList());
    }

    @Override
    public Decision onRequest(FilterRequest request) {
        if (hosts.find(request.host(), request.port()).isEmpty()) {
            return Decision.proceed();
        }
        if (!"https".equals(request.scheme()) && !allowPlaintext) {
            return Decision.proceed();
        }

        // Look every secret up before changing anything, so a refusal leaves the request as it was.
        Map<String, String> values = new HashMap<>();
        for (String name : secretNames) {
            Optional<String> value = request.secrets().get(name);
            if (value.isEmpty()) {
                return SecretReferences.missing(name);
            }
            if (!Headers.isValidValue(value.get())) {
                return Decision.respond(403, Decision.EGRESS_DENIED, SECRET_INVALID,
                        "the secret '" + name + "' contains a control character and cannot be sent");
            }
            values.put(name, value.get());
        }
        SecretLookup resolved = name -> Optional.ofNullable(values.get(name));

        Headers headers = request.headers();
        remove.forEach(headers::remove);
        for (Injection injection : set) {
            headers.set(injection.name(), resolve(injection, resolved));
        }
        for (Injection injection : add) {
            headers.add(injection.name(), resolve(injection, resolved));
        }
        for (Injection injection : query) {
            request.setQueryParameter(injection.name(), resolve(injection, resolved));
        }
        return Decision.proceed();
    }

    private static String resolve(Injection injection, SecretLookup resolved) {
        return injection.value().resolve(resolved)
                .orElseThrow(() -> new IllegalStateException("a secret looked up a moment ago is missing"));
    }

    @Override
    public Set<String> headerSecrets() {
        return secretNames;
    }

    @Override
    public String toString() {
        return "header-injection[hosts=" + hosts.rules() + ", set=" + names(set) + ", add=" + names(add)
                + ", remove=" + remove + ", query=" + names(query) + ", allowPlaintext=" + allowPlaintext + "]";
    }

    private static List<String> names(List<Injection> injections) {
        return injections.stream().map(Injection::name).toList();
    }
}
