package dev.chaperone.admin.resources;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.admin.audit.AdminAuditSink;
import dev.chaperone.admin.audit.AdminChange;
import dev.chaperone.admin.auth.AdminAuthFilter;
import dev.chaperone.admin.http.RequestIdFilter;
import dev.chaperone.admin.problem.ProblemException;
import dev.chaperone.admin.problem.ProblemType;
import dev.chaperone.server.instance.InstanceRegistry;
import dev.chaperone.server.instance.Precondition;

/** What the resources share: path checks, preconditions and audit events. */
final class AdminRequests {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRequests.class);

    private AdminRequests() {
    }

    /** Checks an instance id or secret name from the path; {@code .} and {@code ..} cannot be path segments. */
    static String checkName(String value, String what) {
        if (!InstanceRegistry.isValidId(value) || ".".equals(value) || "..".equals(value)) {
            throw ProblemException.of(ProblemType.INVALID_ID, what + " must match [A-Za-z0-9._-]{1,128}"
                    + " and not be '.' or '..'");
        }
        return value;
    }

    /** The precondition of {@code If-Match} / {@code If-None-Match}; only a single strong ETag or {@code *}. */
    static Precondition precondition(String ifMatch, String ifNoneMatch) {
        if (ifMatch != null && ifNoneMatch != null) {
            throw failed("send either If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!"*".equals(ifNoneMatch.strip())) {
                throw failed("If-None-Match supports only '*' (create only)");
            }
            return Precondition.ABSENT;
        }
        if (ifMatch == null) {
            return Precondition.NONE;
        }
        String tag = ifMatch.strip();
        if ("*".equals(tag)) {
            return Precondition.EXISTS;
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            try {
                return Precondition.version(Long.parseLong(tag.substring(1, tag.length() - 1)));
            } catch (NumberFormatException e) {
                throw failed("If-Match " + tag + " is not an ETag of this resource");
            }
        }
        throw failed("If-Match must be a single strong ETag such as \"42\", or *");
    }

    /** Hands one change to the audit sink; a failing sink is logged, the change stands. */
    static void audit(AdminAuditSink sink, ContainerRequestContext request, String action, String instanceId,
            List<String> fields, long version) {
        Object actor = request.getProperty(AdminAuthFilter.ACTOR);
        AdminChange change = new AdminChange(Instant.now(), actor == null ? "unknown" : actor.toString(), action,
                instanceId, fields, version, RequestIdFilter.of(request));
        try {
            sink.record(change);
        } catch (RuntimeException e) {
            LOG.warn("the audit sink failed to record {} of instance {} (request {})", action, instanceId,
                    change.requestId(), e);
        }
    }

    private static ProblemException failed(String detail) {
        return ProblemException.of(ProblemType.PRECONDITION_FAILED, detail);
    }
}
