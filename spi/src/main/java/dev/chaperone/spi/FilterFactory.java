package dev.chaperone.spi;

/**
 * Makes {@link Filter}s of one kind from their configuration; the service a plugin provides.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}, so they need a public no-argument
 * constructor and an entry in {@code META-INF/services/dev.chaperone.spi.FilterFactory}. The server makes
 * exactly one instance of each factory and keeps it for its whole life, so a factory is the place for
 * state shared by all filters of its kind (a rate-limit bucket store, a signer, a cache).
 *
 * <p>Factory methods are called from admin threads (when a chain is configured) and at start-up (when
 * stored chains are loaded), possibly concurrently: implementations must be thread-safe.
 *
 * @param <C> the configuration type, usually a record whose compact constructor validates it
 */
public interface FilterFactory<C> {

    /**
     * The stable name that chain entries use to refer to this plugin ({@code "allowlist"}), unique among
     * all loaded plugins. Lower case letters, digits and dashes; it must never change once published,
     * because stored chains refer to it.
     */
    String name();

    /**
     * The type that a chain entry's JSON {@code config} object binds to, with Jackson's default rules
     * (records and their components are supported; unknown properties are refused). The same type is used
     * to describe the configuration in the admin API's plugin listing.
     */
    Class<C> configType();

    /** One sentence for operators, shown by the admin API's plugin listing. */
    String description();

    /**
     * Validates {@code config} and returns a filter for one instance's chain.
     *
     * <p>Called once for each chain entry that names this plugin, whenever that chain is configured or
     * loaded; never on a request thread. All validation belongs here (or in the config type's constructor),
     * so that a bad configuration is refused when it is set and never fails at request time. It must not
     * block on the network and must not resolve secrets: secret values may change after the chain is set,
     * so filters look them up per request through {@link FilterRequest#secrets()}.
     *
     * @param config the bound configuration, never {@code null}
     * @param context the instance and settings the filter is created for
     * @return the filter, never {@code null}
     * @throws ConfigException when the configuration is invalid; its field and message reach the operator
     */
    Filter create(C config, FilterContext context) throws ConfigException;
}
