package dev.chaperone.spi;

import java.util.Objects;

/**
 * A plugin configuration that cannot be used, naming the offending field.
 *
 * <p>Thrown by {@link FilterFactory#create} or by a config type's constructor. The admin API turns it into
 * a 422 answer that names the chain entry, the plugin and {@link #field()}; the message is shown to the
 * operator as it is, so it must never contain a secret value.
 */
public class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the JSON path of the offending field within the plugin's config ({@code "hosts[2]"}),
     *     or an empty string when the problem is not tied to one field
     * @param message what is wrong and, where possible, what would be right
     */
    public ConfigException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The JSON path of the offending field, or an empty string. */
    public String field() {
        return field;
    }
}
