package dev.chaperone.admin.audit;

/**
 * Receives every change made through the admin API, after it took effect. Called on admin request threads;
 * implementations must be thread-safe and should not throw (a failure is logged, the change stands).
 */
@FunctionalInterface
public interface AdminAuditSink {

    void record(AdminChange change);
}
