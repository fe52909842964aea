package dev.chaperone.loaddriver;

import java.util.Locale;

/** The HTTP version spoken to the target (inside the tunnel when there is a proxy). */
enum Protocol {
    H1,
    H2;

    /** The name used on the command line and in results: {@code h1} or {@code h2}. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Protocol fromCliName(String name) {
        return switch (name) {
            case "h1", "http/1.1" -> H1;
            case "h2" -> H2;
            default -> throw new IllegalArgumentException("unknown protocol '" + name + "', expected h1 or h2");
        };
    }
}
