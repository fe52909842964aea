package dev.chaperone.spi;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link FilterFactory} knows about the chain it creates a filter for.
 *
 * <p>Given to {@link FilterFactory#create}; a factory may keep it in the filter it returns.
 */
public interface FilterContext {

    /** The id of the instance whose chain the filter belongs to. */
    String instanceId();

    /** The position of the filter's entry in the chain, starting at 0; useful in messages. */
    int chainIndex();

    /**
     * A global setting of this plugin, read from the server's configuration key
     * {@code chaperone.plugin.<plugin name>.<key>} (and so from {@code conf/chaperone.properties},
     * environment variables or system properties).
     */
    Optional<String> setting(String key);

    /** All global settings of this plugin, keyed without the {@code chaperone.plugin.<name>.} prefix. */
    Map<String, String> settings();

    /** The clock filters should use for anything time-based, so that tests can control time. */
    Clock clock();
}
