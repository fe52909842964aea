package dev.chaperone.server.instance;

import java.util.Objects;

/**
 * A secret holding CR, LF or NUL would be written into a header by a filter of the instance's chain, where
 * it could split the header or smuggle another one. Refused both when the secret is set and when a chain
 * that uses such a secret is set.
 */
public final class UnsafeSecretException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String secret;
    private final int entry;
    private final String plugin;

    /**
     * @param secret the secret's name
     * @param entry the index of the first chain entry that writes it into a header
     * @param plugin that entry's plugin
     */
    public UnsafeSecretException(String secret, int entry, String plugin) {
        super("secret '" + secret + "' contains CR, LF or NUL and chain entry " + entry + " (" + plugin
                + ") writes it into a header");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.entry = entry;
        this.plugin = Objects.requireNonNull(plugin, "plugin");
    }

    public String secret() {
        return secret;
    }

    public int entry() {
        return entry;
    }

    public String plugin() {
        return plugin;
    }
}
