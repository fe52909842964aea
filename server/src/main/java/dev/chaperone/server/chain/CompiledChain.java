package dev.chaperone.server.chain;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.spi.Filter;

/**
 * An instance's chain, ready to run: the entries as configured and the filters made from them. Immutable.
 *
 * <p>A chain is replaced as a whole, never changed. Each request {@link #acquire() acquires} the chain it
 * starts on and {@link #release() releases} it when it ends, so that a replaced chain's filters are
 * {@link Filter#close() closed} only after the last request that was using them has finished.
 */
public final class CompiledChain {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledChain.class);

    private final List<ChainEntry> entries;
    private final List<Filter> filters;
    private final Set<String> headerSecrets;

    /** One for the owner (the instance that holds the chain) plus one per running request. */
    private final AtomicInteger references = new AtomicInteger(1);

    public CompiledChain(List<ChainEntry> entries, List<Filter> filters) {
        if (entries.size() != filters.size()) {
            throw new IllegalArgumentException("a chain needs one filter per entry");
        }
        this.entries = List.copyOf(entries);
        this.filters = List.copyOf(filters);
        Set<String> secrets = new HashSet<>();
        for (Filter filter : filters) {
            secrets.addAll(Objects.requireNonNull(filter.headerSecrets(), "headerSecrets"));
        }
        this.headerSecrets = Set.copyOf(secrets);
    }

    /** An empty chain: lets nothing out. */
    public static CompiledChain empty() {
        return new CompiledChain(List.of(), List.of());
    }

    public List<ChainEntry> entries() {
        return entries;
    }

    public List<Filter> filters() {
        return filters;
    }

    /** The name of the plugin at {@code index}, for logs and answers. */
    public String pluginAt(int index) {
        return entries.get(index).plugin();
    }

    /** The secrets that some filter of this chain writes into header or query values. */
    public Set<String> headerSecrets() {
        return headerSecrets;
    }

    /**
     * Takes a reference for one request.
     *
     * @return {@code false} when the chain has already been retired and closed; the caller must then look
     *     the instance up again
     */
    public boolean acquire() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reference taken by {@link #acquire()}. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            closeFilters();
        }
    }

    /** Called once by the owner when the chain has been replaced or its instance deleted. */
    public void retire() {
        release();
    }

    private void closeFilters() {
        for (int i = 0; i < filters.size(); i++) {
            try {
                filters.get(i).close();
            } catch (RuntimeException e) {
                LOG.warn("filter {} ({}) failed to close: {}", i, pluginAt(i), e.toString());
            }
        }
    }
}
