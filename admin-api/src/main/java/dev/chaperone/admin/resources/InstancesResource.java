package dev.chaperone.admin.resources;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.chaperone.admin.audit.AdminAuditSink;
import dev.chaperone.admin.json.ChainEntryBody;
import dev.chaperone.admin.json.InstanceBody;
import dev.chaperone.admin.json.InstanceList;
import dev.chaperone.admin.json.InstanceRequest;
import dev.chaperone.admin.problem.ProblemException;
import dev.chaperone.admin.problem.ProblemType;
import dev.chaperone.server.chain.ChainValidationException;
import dev.chaperone.server.instance.InstanceNotFoundException;
import dev.chaperone.server.instance.InstanceService;
import dev.chaperone.server.instance.InstanceView;

/** Creating, reading, replacing and deleting instances, and rotating their proxy tokens. */
@Path("/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public final class InstancesResource {

    private static final int DEFAULT_PAGE = 100;

    private final InstanceService instances;
    private final AdminAuditSink audit;

    @Inject
    public InstancesResource(InstanceService instances, AdminAuditSink audit) {
        this.instances = instances;
        this.audit = audit;
    }

    @GET
    public InstanceList list(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        int size = DEFAULT_PAGE;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > InstanceService.MAX_PAGE) {
                throw ProblemException.of(ProblemType.INVALID_PARAMETER, "limit must be a number from 1 to "
                        + InstanceService.MAX_PAGE);
            }
        }
        InstanceService.Page page = instances.list(after, size);
        return new InstanceList(page.instances().stream().map(InstanceBody::of).toList(), page.next().orElse(null));
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        InstanceView view = instances.get(AdminRequests.checkName(id, "instance id"))
                .orElseThrow(() -> new InstanceNotFoundException("no instance " + id));
        return Response.ok(InstanceBody.of(view)).tag(etag(view)).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, InstanceRequest body,
            @Context ContainerRequestContext request) throws ChainValidationException {
        AdminRequests.checkName(id, "instance id");
        if (body == null) {
            throw ProblemException.of(ProblemType.INVALID_BODY, "the body must be {\"chain\": [...]}");
        }
        InstanceService.PutResult result = instances.put(id,
                body.chain().stream().map(ChainEntryBody::toEntry).toList(),
                AdminRequests.precondition(ifMatch, ifNoneMatch));
        InstanceView view = result.instance();
        AdminRequests.audit(audit, request, result.created() ? "instance.create" : "instance.replace", id,
                List.of("chain"), view.version());
        if (result.created()) {
            return Response.created(URI.create("/v1/instances/" + id))
                    .entity(InstanceBody.of(view, result.token().orElseThrow()))
                    .tag(etag(view))
                    .cacheControl(noStore())
                    .build();
        }
        return Response.ok(InstanceBody.of(view)).tag(etag(view)).build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Context ContainerRequestContext request) {
        AdminRequests.checkName(id, "instance id");
        instances.delete(id, AdminRequests.precondition(ifMatch, null));
        AdminRequests.audit(audit, request, "instance.delete", id, List.of("instance"), 0);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/token")
    public Response rotateToken(@PathParam("id") String id, @Context ContainerRequestContext request) {
        AdminRequests.checkName(id, "instance id");
        InstanceService.IssuedToken issued = instances.rotateToken(id);
        AdminRequests.audit(audit, request, "token.rotate", id, List.of("token"), issued.instance().version());
        return Response.ok(InstanceBody.of(issued.instance(), issued.token()))
                .tag(etag(issued.instance()))
                .cacheControl(noStore())
                .build();
    }

    static EntityTag etag(InstanceView view) {
        return new EntityTag(Long.toString(view.version()));
    }

    /** Answers that carry a token must not be kept by caches. */
    private static CacheControl noStore() {
        CacheControl cacheControl = new CacheControl();
        cacheControl.setNoStore(true);
        return cacheControl;
    }
}
