package dev.chaperone.server.net;

/**
 * What kind of address an upstream resolved to, as judged by {@link AddressClassifier}. Every category but
 * {@link #PUBLIC} is refused by the address guard unless an operator allowed it explicitly.
 *
 * <p>{@link #reason()} is the stable code that refusals, audit lines and metrics carry; it never changes
 * once published.
 */
public enum AddressCategory {

    /** A globally routable unicast address. */
    PUBLIC("public"),
    /** {@code 127.0.0.0/8}, {@code ::1}. */
    LOOPBACK("loopback"),
    /** {@code 0.0.0.0/8} ("this network"), {@code ::}; connecting to it reaches the local host. */
    UNSPECIFIED("unspecified"),
    /** RFC 1918 ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}) and unique local {@code fc00::/7}. */
    PRIVATE("private"),
    /** {@code 169.254.0.0/16} (including cloud metadata at {@code 169.254.169.254}) and {@code fe80::/10}. */
    LINK_LOCAL("link_local"),
    /** Shared address space for carrier-grade NAT, {@code 100.64.0.0/10}. */
    CGNAT("cgnat"),
    /** {@code 224.0.0.0/4}, {@code ff00::/8}. */
    MULTICAST("multicast"),
    /** The limited broadcast address {@code 255.255.255.255}. */
    BROADCAST("broadcast"),
    /**
     * Space reserved for future use or not allocated for unicast: {@code 240.0.0.0/4},
     * {@code 192.88.99.0/24} (the retired 6to4 relay anycast) and IPv6 outside {@code 2000::/3} that no
     * other category covers.
     */
    RESERVED("reserved"),
    /**
     * Documentation ranges: {@code 192.0.2/24}, {@code 198.51.100/24}, {@code 203.0.113/24},
     * {@code 2001:db8::/32}, {@code 3fff::/20}.
     */
    DOCUMENTATION("documentation"),
    /** Benchmarking ranges: {@code 198.18.0.0/15}, {@code 2001:2::/48}. */
    BENCHMARKING("benchmarking"),
    /** IETF protocol assignments, {@code 192.0.0.0/24} and what {@code 2001::/23} holds besides Teredo. */
    IETF_PROTOCOL("ietf_protocol"),
    /** The discard-only prefix {@code 100::/64}. */
    DISCARD("discard"),
    /** The deprecated IPv6 site-local prefix {@code fec0::/10}, still routed internally by some networks. */
    SITE_LOCAL("site_local");

    private final String reason;

    AddressCategory(String reason) {
        this.reason = reason;
    }

    /** The stable reason code, such as {@code loopback} or {@code link_local}. */
    public String reason() {
        return reason;
    }

    /** Whether the address guard lets this category through without an operator's explicit allowance. */
    public boolean isPublic() {
        return this == PUBLIC;
    }
}
