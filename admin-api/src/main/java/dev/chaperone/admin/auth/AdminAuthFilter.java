package dev.chaperone.admin.auth;

import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import dev.chaperone.admin.problem.Problem;
import dev.chaperone.admin.problem.ProblemException;
import dev.chaperone.admin.problem.ProblemType;

/**
 * Lets through only calls that carry the admin token as {@code Authorization: Bearer <token>}, except the
 * liveness check {@code GET /health}. Runs before resource matching, so an unauthenticated caller cannot
 * learn which paths exist.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AdminAuthFilter implements ContainerRequestFilter {

    /** The request property naming who made the call, for audit events. */
    public static final String ACTOR = "dev.chaperone.admin.actor";

    private static final String SCHEME = "Bearer ";

    private final AdminToken token;

    @Inject
    public AdminAuthFilter(AdminToken token) {
        this.token = token;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (isHealthCheck(request)) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.length() > SCHEME.length()
                && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
        if (!bearer || !token.matches(authorization.substring(SCHEME.length()).strip())) {
            String detail = authorization == null ? "this call needs Authorization: Bearer <admin token>"
                    : "the admin token is not valid";
            throw new ProblemException(Problem.of(ProblemType.UNAUTHORIZED, detail),
                    Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"chaperone-admin\""));
        }
        request.setProperty(ACTOR, token.id());
    }

    private static boolean isHealthCheck(ContainerRequestContext request) {
        String method = request.getMethod();
        return (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))
                && "health".equals(request.getUriInfo().getPath(true));
    }
}
