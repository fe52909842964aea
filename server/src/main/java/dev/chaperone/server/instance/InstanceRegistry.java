package dev.chaperone.server.instance;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The instances the proxy serves, by id: what identifies a sandbox and what its requests may do.
 *
 * <p>Lock-free for readers: the proxy looks an instance up on every new connection and request, while the
 * admin API replaces whole {@link Instance}s. A replaced or removed instance's chain is
 * {@link dev.chaperone.server.chain.CompiledChain#retire() retired}, so its filters close once the
 * requests still running on it end.
 */
public final class InstanceRegistry {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final ConcurrentMap<String, Instance> instances = new ConcurrentHashMap<>();

    /** Whether {@code id} is a valid instance id: {@code [A-Za-z0-9._-]{1,128}}. */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * The instance with this id whose proxy token is {@code token}; empty when there is none or the token
     * is wrong. The hash comparison runs in constant time; an unknown id costs one hash as well, so timing
     * does not tell which ids exist.
     */
    public Optional<Instance> authenticate(String id, String token) {
        Instance instance = id == null ? null : instances.get(id);
        if (instance == null) {
            ProxyToken.matches(token == null ? "" : token, new byte[32]);
            return Optional.empty();
        }
        return token != null && instance.tokenMatches(token) ? Optional.of(instance) : Optional.empty();
    }

    public Optional<Instance> get(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    /** Every instance, in no particular order. */
    public Collection<Instance> all() {
        return Collections.unmodifiableCollection(instances.values());
    }

    public int size() {
        return instances.size();
    }

    /**
     * Adds an instance or replaces the one with the same id. The next request sees the new one; requests
     * already running finish on the old chain, which is then closed (unless the new instance shares it).
     */
    public void put(Instance instance) {
        Instance previous = instances.put(instance.id(), instance);
        if (previous != null && previous.chain() != instance.chain()) {
            previous.chain().retire();
        }
    }

    /** Removes an instance; its token stops working at once. Returns whether there was one. */
    public boolean remove(String id) {
        Instance previous = instances.remove(id);
        if (previous != null) {
            previous.chain().retire();
            return true;
        }
        return false;
    }
}
