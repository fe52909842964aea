package dev.chaperone.server.chain;

/**
 * A chain entry that cannot be compiled: unknown plugin, config of the wrong shape, or a config its
 * plugin refused. Names the entry so that the admin API can tell the operator exactly what to fix.
 */
public final class ChainValidationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int index;
    private final String plugin;
    private final String field;

    /**
     * @param index the entry's position in the chain, from 0
     * @param plugin the plugin name as written in the entry
     * @param field the JSON path of the offending field within the entry's config, or an empty string
     * @param message what is wrong; never contains a secret value
     */
    public ChainValidationException(int index, String plugin, String field, String message) {
        super(message);
        this.index = index;
        this.plugin = plugin;
        this.field = field == null ? "" : field;
    }

    public int index() {
        return index;
    }

    public String plugin() {
        return plugin;
    }

    public String field() {
        return field;
    }
}
