package dev.chaperone.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where instances and their encrypted secrets are kept between restarts.
 *
 * <p>Every method that changes something returns only once the change is durable: a crash right after the
 * call returns loses nothing, a crash during the call leaves either the old or the new state. Callers
 * serialize changes to one instance; changes to different instances may run concurrently.
 *
 * <p>The operations are small on purpose so that a shared engine (a Redis hash per instance, say) can
 * implement them and let a fleet of proxies share their instances; such a store reports the changes that
 * other members make through {@link #addListener}.
 */
public interface InstanceStore extends AutoCloseable {

    /**
     * Everything stored. An entry that cannot be read is reported at WARN and set aside (never deleted), so
     * that one damaged entry does not keep the others from loading.
     *
     * @throws StoreException when the store itself cannot be read
     */
    List<InstanceRecord> loadAll();

    /** The stored instance {@code id}, or empty. */
    Optional<InstanceRecord> load(String id);

    /** Creates or replaces a whole instance, secrets included. */
    void put(InstanceRecord record);

    /** Deletes an instance and its secrets; returns whether it existed. */
    boolean delete(String id);

    /**
     * Sets one secret of an existing instance and moves the instance to {@code version}.
     *
     * @throws IllegalStateException when the instance does not exist
     */
    void putSecret(String id, String name, SealedSecret secret, long version, Instant updatedAt);

    /**
     * Deletes one secret of an existing instance and moves the instance to {@code version}.
     *
     * @throws IllegalStateException when the instance does not exist
     */
    void deleteSecret(String id, String name, long version, Instant updatedAt);

    /** Registers a listener for changes made by others than this server; see {@link StoreListener}. */
    void addListener(StoreListener listener);

    @Override
    void close();
}
