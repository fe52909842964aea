package dev.chaperone.admin.resources;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.chaperone.admin.audit.AdminAuditSink;
import dev.chaperone.admin.json.InstanceBody;
import dev.chaperone.admin.json.SecretList;
import dev.chaperone.admin.json.SecretRequest;
import dev.chaperone.admin.problem.ProblemException;
import dev.chaperone.admin.problem.ProblemType;
import dev.chaperone.server.instance.InstanceNotFoundException;
import dev.chaperone.server.instance.InstanceService;
import dev.chaperone.server.instance.InstanceView;

/** An instance's write-only secrets: set, list by name, delete. No call ever returns a value. */
@Path("/v1/instances/{id}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public final class SecretsResource {

    private final InstanceService instances;
    private final AdminAuditSink audit;

    @Inject
    public SecretsResource(InstanceService instances, AdminAuditSink audit) {
        this.instances = instances;
        this.audit = audit;
    }

    @GET
    public SecretList list(@PathParam("id") String id) {
        InstanceView view = instances.get(AdminRequests.checkName(id, "instance id"))
                .orElseThrow(() -> new InstanceNotFoundException("no instance " + id));
        return new SecretList(InstanceBody.secrets(view));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, @PathParam("name") String name, SecretRequest body,
            @Context ContainerRequestContext request) {
        AdminRequests.checkName(id, "instance id");
        AdminRequests.checkName(name, "secret name");
        if (body == null) {
            throw ProblemException.of(ProblemType.INVALID_BODY, "the body must be {\"value\": \"...\"}");
        }
        InstanceService.SecretResult result = instances.putSecret(id, name, body.value());
        AdminRequests.audit(audit, request, "secret.put", id, List.of("secrets." + name),
                result.instance().version());
        return (result.created() ? Response.status(Response.Status.CREATED) : Response.noContent())
                .tag(InstancesResource.etag(result.instance()))
                .build();
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("id") String id, @PathParam("name") String name,
            @Context ContainerRequestContext request) {
        AdminRequests.checkName(id, "instance id");
        AdminRequests.checkName(name, "secret name");
        InstanceView view = instances.deleteSecret(id, name);
        AdminRequests.audit(audit, request, "secret.delete", id, List.of("secrets." + name), view.version());
        return Response.noContent().tag(InstancesResource.etag(view)).build();
    }
}
