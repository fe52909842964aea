package dev.chaperone.loaddriver;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What each request of a run costs the proxy: which connections it opens and to which host names. */
enum Mode {
    /** Requests share kept-alive connections (and tunnels): the steady-state cost of one request. */
    KEEP_ALIVE("keep-alive"),
    /** Every request opens its own connection (through a proxy: its own tunnel and TLS handshake). */
    NEW_CONNECTION("new-connection"),
    /** Like {@link #NEW_CONNECTION}, to a host name never used before: an intercepting proxy mints a leaf. */
    UNIQUE_HOSTS("unique-hosts"),
    /** Opens many connections, sends one request on each, then holds them idle while the proxy is measured. */
    IDLE_HOLD("idle-hold");

    private final String cliName;

    Mode(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in results. */
    String cliName() {
        return cliName;
    }

    static Mode fromCliName(String name) {
        return Arrays.stream(values()).filter(mode -> mode.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown mode '" + name + "', expected one of "
                        + Arrays.stream(values()).map(Mode::cliName).collect(Collectors.joining(", "))));
    }
}
