package dev.chaperone.server.instance;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.chaperone.server.store.InstanceRecord;
import dev.chaperone.server.store.InstanceStore;
import dev.chaperone.server.store.SealedSecret;
import dev.chaperone.server.store.StoreException;
import dev.chaperone.server.store.StoreListener;

/** A store in memory that can fail on demand and play a fleet member that changes instances behind our back. */
final class MemoryInstanceStore implements InstanceStore {

    private final Map<String, InstanceRecord> records = new ConcurrentHashMap<>();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean failWrites;

    void failWrites(boolean fail) {
        failWrites = fail;
    }

    /** Changes a record as another server would, and tells the listeners. */
    void changeElsewhere(InstanceRecord record) {
        records.put(record.id(), record);
        listeners.forEach(listener -> listener.changed(record.id()));
    }

    /** Deletes a record as another server would, and tells the listeners. */
    void deleteElsewhere(String id) {
        records.remove(id);
        listeners.forEach(listener -> listener.changed(id));
    }

    @Override
    public List<InstanceRecord> loadAll() {
        return new ArrayList<>(records.values());
    }

    @Override
    public Optional<InstanceRecord> load(String id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public void put(InstanceRecord record) {
        checkWritable();
        records.put(record.id(), record);
    }

    @Override
    public boolean delete(String id) {
        checkWritable();
        return records.remove(id) != null;
    }

    @Override
    public void putSecret(String id, String name, SealedSecret secret, long version, Instant updatedAt) {
        checkWritable();
        records.put(id, records.get(id).withSecret(name, secret, version, updatedAt));
    }

    @Override
    public void deleteSecret(String id, String name, long version, Instant updatedAt) {
        checkWritable();
        records.put(id, records.get(id).withoutSecret(name, version, updatedAt));
    }

    @Override
    public void addListener(StoreListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
    }

    private void checkWritable() {
        if (failWrites) {
            throw new StoreException("disk full", new IOException("No space left on device"));
        }
    }
}
