package dev.chaperone.admin.problem;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.glassfish.jersey.server.ContainerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import dev.chaperone.admin.http.RequestIdFilter;
import dev.chaperone.server.chain.ChainValidationException;
import dev.chaperone.server.instance.InstanceNotFoundException;
import dev.chaperone.server.instance.PreconditionFailedException;
import dev.chaperone.server.instance.UnsafeSecretException;

/**
 * The one place where errors become responses: every exception that leaves a resource or filter is turned
 * into an {@code application/problem+json} body. Nothing of an unexpected exception reaches the client but
 * the request id; the exception itself is logged at WARN under that id.
 */
@Provider
public final class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    private final jakarta.inject.Provider<ContainerRequest> request;

    @Inject
    public ProblemMapper(jakarta.inject.Provider<ContainerRequest> request) {
        this.request = request;
    }

    @Override
    public Response toResponse(Throwable exception) {
        String requestId = requestId();
        Map<String, String> headers = Map.of();
        Problem problem;
        if (exception instanceof ProblemException e) {
            problem = e.problem();
            headers = e.headers();
        } else {
            problem = toProblem(exception, requestId);
        }
        Response.ResponseBuilder response = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem.withRequestId(requestId));
        headers.forEach(response::header);
        return response.build();
    }

    private Problem toProblem(Throwable exception, String requestId) {
        if (cause(exception, JsonParseException.class) instanceof JsonParseException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return Problem.of(ProblemType.MALFORMED_JSON, "the body is not valid JSON" + where);
        }
        if (cause(exception, JsonMappingException.class) instanceof JsonMappingException e) {
            return bodyProblem(e);
        }
        if (exception instanceof ChainValidationException e) {
            return Problem.of(ProblemType.INVALID_CHAIN, "chain entry " + e.index() + " (" + e.plugin() + "): "
                    + e.getMessage()).withEntry(e.index(), e.plugin(), e.field());
        }
        if (exception instanceof UnsafeSecretException e) {
            return Problem.of(ProblemType.UNSAFE_SECRET, e.getMessage())
                    .withEntry(e.entry(), e.plugin(), null).withSecret(e.secret());
        }
        if (exception instanceof InstanceNotFoundException e) {
            return Problem.of(ProblemType.NOT_FOUND, e.getMessage());
        }
        if (exception instanceof PreconditionFailedException e) {
            return Problem.of(ProblemType.PRECONDITION_FAILED, e.getMessage());
        }
        if (exception instanceof NotFoundException) {
            return Problem.of(ProblemType.NOT_FOUND, "no such resource");
        }
        if (exception instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
            Response.StatusType status = e.getResponse().getStatusInfo();
            return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), null, null, null,
                    null, null, null);
        }
        LOG.warn("admin request {} failed", requestId, exception);
        return Problem.of(ProblemType.INTERNAL_ERROR, "the request failed; the server log has more under its id");
    }

    /** The body's shape is wrong: an unknown field, a value of the wrong type, a missing value. */
    private static Problem bodyProblem(JsonMappingException e) {
        String field = fieldPath(e);
        String detail;
        if (e instanceof UnrecognizedPropertyException unknown) {
            detail = "unknown field '" + unknown.getPropertyName() + "'";
        } else if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException) {
            // Our own request types validate themselves; their messages name no value.
            detail = e.getCause().getMessage();
        } else {
            // Jackson's own messages may quote the offending value, which could be a secret.
            detail = field.isEmpty() ? "the body has the wrong shape" : "'" + field + "' has the wrong type";
        }
        Problem problem = Problem.of(ProblemType.INVALID_BODY, detail);
        return field.isEmpty() ? problem : problem.withField(field);
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() > 0 ? "." : "").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * The first exception of {@code type} among {@code exception} and its causes: Jersey may wrap what the JSON
     * reader threw, and data binding wraps the parser's exceptions in its own.
     */
    private static Throwable cause(Throwable exception, Class<? extends Throwable> type) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private String requestId() {
        try {
            Object id = request.get().getProperty(RequestIdFilter.PROPERTY);
            return id == null ? null : id.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
