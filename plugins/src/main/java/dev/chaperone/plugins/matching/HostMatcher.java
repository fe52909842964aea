package dev.chaperone.plugins.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.chaperone.spi.HostNames;

/**
 * Finds the rules that apply to a host, at a cost that does not grow with the number of rules: exact names
 * in one hash map, wildcards in a hash map keyed by the suffix after {@code *.} (one lookup per label of the
 * host), and CIDR blocks in one hash map per prefix length in use (at most 33 lookups for IPv4, 129 for
 * IPv6, however many blocks there are). Immutable and safe to share between threads.
 *
 * <p>When several rules match, the one written first wins, so decisions name a predictable rule.
 */
public final class HostMatcher {

    private final List<HostRule> rules;
    private final Map<String, List<Indexed>> exact = new HashMap<>();
    private final Map<String, List<Indexed>> wildcardSuffixes = new HashMap<>();
    private final CidrIndex ipv4 = new CidrIndex(32);
    private final CidrIndex ipv6 = new CidrIndex(128);

    private HostMatcher(List<HostRule> rules) {
        this.rules = List.copyOf(rules);
        for (int i = 0; i < this.rules.size(); i++) {
            HostRule rule = this.rules.get(i);
            Indexed entry = new Indexed(i, rule);
            HostPattern pattern = rule.pattern();
            switch (pattern.kind()) {
                case EXACT -> exact.computeIfAbsent(pattern.host(), k -> new ArrayList<>(1)).add(entry);
                case WILDCARD -> wildcardSuffixes.computeIfAbsent(pattern.host(), k -> new ArrayList<>(1)).add(entry);
                case CIDR -> indexBlock(pattern.address(), pattern.prefixLength(), entry);
            }
        }
    }

    private void indexBlock(byte[] address, int prefixLength, Indexed entry) {
        if (address.length == 4) {
            ipv4.add(address, prefixLength, entry);
            return;
        }
        // A block inside ::ffff:0:0/96 is a block of IPv4 addresses written as IPv6; index it as IPv4 so that
        // it also judges hosts written as plain IPv4.
        byte[] unmapped = IpAddresses.unmapped(address);
        if (unmapped != null && prefixLength >= 96) {
            ipv4.add(unmapped, prefixLength - 96, entry);
            return;
        }
        ipv6.add(address, prefixLength, entry);
    }

    /** Indexes rules; their order is their precedence. */
    public static HostMatcher of(List<HostRule> rules) {
        return new HostMatcher(rules);
    }

    /** The rules, in order. */
    public List<HostRule> rules() {
        return rules;
    }

    /** The first rule whose host pattern and ports cover {@code host:port}, if any. */
    public Optional<HostRule> find(String host, int port) {
        return find(host, port, rule -> true);
    }

    /**
     * The first rule whose host pattern and ports cover {@code host:port} and that {@code accept} approves
     * (for instance, one that also covers the request's method and path).
     *
     * @param host a canonical host (see {@link HostNames#normalize})
     */
    public Optional<HostRule> find(String host, int port, Predicate<? super HostRule> accept) {
        Search search = new Search(port, accept);
        if (IpAddresses.isLiteral(host)) {
            findAddress(host, search);
        } else {
            search.consider(exact.get(host));
            if (!wildcardSuffixes.isEmpty()) {
                for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
                    search.consider(wildcardSuffixes.get(host.substring(dot + 1)));
                }
            }
        }
        return search.best == null ? Optional.empty() : Optional.of(search.best.rule());
    }

    private void findAddress(String host, Search search) {
        byte[] address = IpAddresses.tryParse(host);
        if (address == null) {
            return;
        }
        if (address.length == 4) {
            ipv4.find(address, search);
            return;
        }
        ipv6.find(address, search);
        // ::ffff:10.0.0.1 reaches 10.0.0.1, so IPv4 rules judge it too.
        byte[] unmapped = IpAddresses.unmapped(address);
        if (unmapped != null) {
            ipv4.find(unmapped, search);
        }
    }

    /** A rule with its position, which is its precedence. */
    record Indexed(int order, HostRule rule) {
    }

    /** The best candidate so far of one lookup. */
    static final class Search {

        private final int port;
        private final Predicate<? super HostRule> accept;
        private Indexed best;

        Search(int port, Predicate<? super HostRule> accept) {
            this.port = port;
            this.accept = accept;
        }

        /** Considers candidates listed in rule order, so the first acceptable one is the best of the list. */
        void consider(List<Indexed> candidates) {
            if (candidates == null) {
                return;
            }
            for (Indexed candidate : candidates) {
                if (best != null && candidate.order() > best.order()) {
                    return;
                }
                if (candidate.rule().matchesPort(port) && accept.test(candidate.rule())) {
                    best = candidate;
                    return;
                }
            }
        }
    }
}
