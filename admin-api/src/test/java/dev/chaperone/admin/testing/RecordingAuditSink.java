package dev.chaperone.admin.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.chaperone.admin.audit.AdminAuditSink;
import dev.chaperone.admin.audit.AdminChange;

/** Keeps every audit event, for tests to look at. */
public final class RecordingAuditSink implements AdminAuditSink {

    private final List<AdminChange> changes = new CopyOnWriteArrayList<>();

    @Override
    public void record(AdminChange change) {
        changes.add(change);
    }

    public List<AdminChange> changes() {
        return List.copyOf(changes);
    }
}
