package io.leadsync.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.ProblemException;
import io.leadsync.model.Receipt;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;

/** POST /leads accepts an update durably before it answers 202; GET /leads/{id} is its receipt. */
@Path("/leads")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class LeadsResource {

    /** The largest body POST /leads reads. */
    static final int MAX_BODY = 1024 * 1024;

    @Inject
    LeadUpdateReader reader;

    @Inject
    LeadStore store;

    @Inject
    IntakeGate gate;

    @RegisterForReflection
    public record AcceptedAnswer(String id, String status) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response accept(InputStream body, @HeaderParam("Idempotency-Key") String idempotencyKey) throws IOException {
        gate.checkOpen();
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "body is larger than 1 MiB");
        }
        if (bytes.length == 0) {
            throw new ProblemException(Status.BAD_REQUEST, "body is empty: send a lead update as JSON");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw new ProblemException(Status.BAD_REQUEST, "header Idempotency-Key must be 1 to 255 characters");
        }
        String id;
        try {
            id = store.accept(reader.read(new String(bytes, StandardCharsets.UTF_8)), idempotencyKey, "POST /leads");
        } catch (InvalidUpdateException e) {
            throw new ProblemException(Status.BAD_REQUEST, e.getMessage());
        }
        return Response.accepted(new AcceptedAnswer(id, "ACCEPTED")).build();
    }

    @GET
    @Path("/{id}")
    public Receipt receipt(@PathParam("id") String id) {
        return store.receipt(id).orElseThrow(() -> new ProblemException(Status.NOT_FOUND, "no lead update with id '" + id + "'"));
    }
}
