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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.leadsync.model.LeadUpdate;

/** POST /leads accepts an update durably before it answers 202; GET /leads/{id} is its receipt. */
@Path("/leads")
@Tag(name = "Leads", description = "Lead updates routed to the CRMs, and their receipts")
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
    @Operation(summary = "Accept a lead update for delivery to its target CRM",
            description = "The update is on disk before the answer. An Idempotency-Key makes a repeated submission "
                    + "answer the first id.")
    @RequestBody(required = true, description = "a lead update, at most 1 MiB",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LeadUpdate.class)))
    @APIResponse(responseCode = "202", description = "accepted: delivered in the background",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AcceptedAnswer.class)))
    @APIResponse(responseCode = "400", description = "not a valid update: the problem names the field")
    @APIResponse(responseCode = "413", description = "the body is larger than 1 MiB")
    @APIResponse(responseCode = "503", description = "lead intake is closed: leadsync runs a job once, or is stopping (then with Retry-After)")
    public Response accept(@Parameter(hidden = true) InputStream body,
            @Parameter(description = "1 to 255 characters") @HeaderParam("Idempotency-Key") String idempotencyKey) throws IOException {
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
    @Operation(summary = "The receipt of a lead update: PENDING, DELIVERED or DEAD_LETTER")
    @APIResponse(responseCode = "200", description = "the receipt", content = @Content(schema = @Schema(implementation = Receipt.class)))
    @APIResponse(responseCode = "404", description = "no lead update with that id")
    public Receipt receipt(@PathParam("id") String id) {
        return store.receipt(id).orElseThrow(() -> new ProblemException(Status.NOT_FOUND, "no lead update with id '" + id + "'"));
    }
}
