package dev.chaperone.server.store;

/**
 * Told when an instance was changed in the store by someone else, such as another proxy of a fleet that
 * shares the store, so that this server can reload it.
 */
@FunctionalInterface
public interface StoreListener {

    /** The stored instance {@code id} was created, changed or deleted; reload it with {@link InstanceStore#load}. */
    void changed(String id);
}
