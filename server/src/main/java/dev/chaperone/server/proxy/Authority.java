package dev.chaperone.server.proxy;

/**
 * A {@code host[:port]} as written in a {@code Host} header, split but not yet canonicalised.
 *
 * @param host the host, IPv6 literals still in brackets
 * @param port the port, or -1 when none was written
 */
record Authority(String host, int port) {

    /** Splits an authority; {@code null} when it is malformed (empty host, bad port, userinfo). */
    static Authority parse(String value) {
        if (value == null || value.isEmpty() || value.indexOf('@') >= 0) {
            return null;
        }
        int portStart;
        String host;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = value.substring(0, close + 1);
            portStart = close + 1;
            if (portStart < value.length() && value.charAt(portStart) != ':') {
                return null;
            }
        } else {
            int colon = value.indexOf(':');
            if (colon >= 0 && value.indexOf(':', colon + 1) >= 0) {
                return null;
            }
            portStart = colon < 0 ? value.length() : colon;
            host = value.substring(0, portStart);
        }
        if (host.isEmpty()) {
            return null;
        }
        if (portStart >= value.length()) {
            return new Authority(host, -1);
        }
        String port = value.substring(portStart + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65535 ? new Authority(host, number) : null;
    }
}
