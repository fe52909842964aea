package dev.chaperone.admin.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default audit sink: one INFO line per change on the {@code dev.chaperone.admin.audit} logger. */
public final class LoggingAdminAuditSink implements AdminAuditSink {

    private static final Logger LOG = LoggerFactory.getLogger("dev.chaperone.admin.audit");

    @Override
    public void record(AdminChange change) {
        LOG.info("admin change: actor={} action={} instance={} fields={} version={} requestId={}", change.actor(),
                change.action(), change.instanceId(), change.fields(), change.version(), change.requestId());
    }
}
