package dev.chaperone.server.config;

/**
 * A setting that stops the start: its message names the key, where the value came from and what is wrong,
 * in one line that the launcher prints as it is.
 */
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the configuration key at fault, such as {@code chaperone.proxy.port}
     * @param message the whole one-line message; never contains a secret value
     */
    public ConfigurationException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
