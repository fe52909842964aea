package dev.chaperone.plugins.matching;

import java.util.Objects;
import java.util.OptionalInt;

import dev.chaperone.spi.HostNames;

/**
 * The host part of a rule, parsed once: an exact host, a leading wildcard ({@code *.twilio.com}), or an
 * IP address or CIDR block, each with the port the operator may have written after it.
 *
 * <p>Hosts are brought into the canonical form of {@link HostNames#normalize}, so a rule and a request can
 * only match when they name the same host.
 */
public final class HostPattern {

    /** What a pattern matches. */
    public enum Kind {
        /** One host name. */
        EXACT,
        /** Every name one or more labels below {@link #host()}, never {@code host()} itself. */
        WILDCARD,
        /** Every address in a block; a single address is a block of 32 or 128 bits. */
        CIDR
    }

    private final Kind kind;
    private final String host;
    private final byte[] address;
    private final int prefixLength;
    private final int port;

    private HostPattern(Kind kind, String host, byte[] address, int prefixLength, int port) {
        this.kind = kind;
        this.host = host;
        this.address = address;
        this.prefixLength = prefixLength;
        this.port = port;
    }

    /**
     * Parses a pattern as an operator writes it: {@code api.stripe.com}, {@code *.twilio.com},
     * {@code api.stripe.com:443}, {@code 10.0.0.0/8}, {@code 203.0.113.7:8443}, {@code 2001:db8::/32},
     * {@code [2001:db8::1]:443}. An IPv6 address followed by a port needs brackets.
     *
     * @throws IllegalArgumentException when the pattern is not valid; the message says why
     */
    public static HostPattern parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the host pattern is empty");
        }
        String hostPart = text;
        int port = 0;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'[' without a matching ']'");
            }
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("only ':port' may follow ']'");
                }
                port = parsePort(rest.substring(1));
            }
            hostPart = text.substring(1, close);
            if (hostPart.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets are only allowed around an IPv6 address");
            }
        } else {
            int colons = (int) text.chars().filter(c -> c == ':').count();
            if (colons == 1) {
                int colon = text.indexOf(':');
                hostPart = text.substring(0, colon);
                port = parsePort(text.substring(colon + 1));
            }
        }
        if (hostPart.indexOf('/') >= 0) {
            return parseCidr(hostPart, port);
        }
        if (hostPart.startsWith("*.") && hostPart.indexOf('*', 1) < 0) {
            String suffix = HostNames.normalize(hostPart.substring(2));
            if (HostNames.isIpLiteral(suffix)) {
                throw new IllegalArgumentException("a wildcard needs a domain name after '*.', not an address");
            }
            return new HostPattern(Kind.WILDCARD, suffix, null, 0, port);
        }
        if (hostPart.indexOf('*') >= 0) {
            throw new IllegalArgumentException("a wildcard is only allowed as the whole first label, as in "
                    + "'*.example.com'");
        }
        String canonical = HostNames.normalize(hostPart);
        if (HostNames.isIpLiteral(canonical)) {
            byte[] address = IpAddresses.parse(canonical);
            return new HostPattern(Kind.CIDR, canonical, address, address.length * 8, port);
        }
        return new HostPattern(Kind.EXACT, canonical, null, 0, port);
    }

    private static HostPattern parseCidr(String text, int port) {
        int slash = text.indexOf('/');
        String lengthText = text.substring(slash + 1);
        String canonical = HostNames.normalize(text.substring(0, slash));
        if (!HostNames.isIpLiteral(canonical)) {
            throw new IllegalArgumentException("a '/' prefix length needs an IP address before it");
        }
        byte[] address = IpAddresses.parse(canonical);
        int maxLength = address.length * 8;
        if (lengthText.isEmpty() || lengthText.length() > 3 || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(lengthText) > maxLength) {
            throw new IllegalArgumentException("the prefix length must be a number from 0 to " + maxLength);
        }
        int prefixLength = Integer.parseInt(lengthText);
        if (!IpAddresses.hostBitsAreZero(address, prefixLength)) {
            throw new IllegalArgumentException("the address has bits set beyond the prefix length; the block is "
                    + IpAddresses.format(IpAddresses.mask(address, prefixLength)) + "/" + prefixLength);
        }
        return new HostPattern(Kind.CIDR, canonical + "/" + prefixLength, address, prefixLength, port);
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the port must be a number from 1 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port must be a number from 1 to 65535");
        }
        return port;
    }

    public Kind kind() {
        return kind;
    }

    /** The canonical host of an exact pattern, the suffix of a wildcard, or {@code address/length} of a CIDR. */
    public String host() {
        return host;
    }

    /** The network address of a CIDR pattern (4 or 16 bytes, host bits zero); {@code null} for names. */
    byte[] address() {
        return address;
    }

    /** The prefix length of a CIDR pattern; 0 for names. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The port written after the host, if any. */
    public OptionalInt port() {
        return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    @Override
    public String toString() {
        String text = kind == Kind.WILDCARD ? "*." + host : host;
        return port == 0 ? text : text + ":" + port;
    }
}
