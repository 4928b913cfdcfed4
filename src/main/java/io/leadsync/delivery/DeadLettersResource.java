package io.leadsync.delivery;

import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.Params;
import io.leadsync.api.ProblemException;
import io.leadsync.model.DeadLetter;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dead-letter channel, for people: list (by target and reason), replay one or many, delete.
 * A replay puts the update back into the delivery queue under its own id, in the same transaction that
 * deletes the letter, so it is re-validated against the current catalog; one that fails again becomes a new
 * dead letter — never lost, never listed twice, never replayed twice.
 */
@Path("/dead-letters")
@Tag(name = "Dead letters", description = "Lead updates that could not be delivered: inspect, replay, delete")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLettersResource {

    @Inject
    LeadStore store;

    /** A page of dead letters; {@code next} is the {@code after} of the next page, null on the last. */
    @RegisterForReflection
    public record DeadLetters(List<DeadLetter> deadLetters, String next) {
    }

    static final int MAX_PAGE = 1000;

    @RegisterForReflection
    public record Replayed(List<String> replayed) {
    }

    @GET
    @Operation(summary = "A page of dead letters, oldest first", description = "Pass next as after for the following page.")
    @APIResponse(responseCode = "200", description = "a page", content = @Content(schema = @Schema(implementation = DeadLetters.class)))
    @APIResponse(responseCode = "400", description = "limit outside 1 to 1000, an unknown reason, a malformed target or after")
    public DeadLetters list(@QueryParam("target") String target, @QueryParam("reason") String reason,
            @QueryParam("after") String after, @QueryParam("limit") String limit) {
        int size = Params.integer("query parameter 'limit'", limit, 1, MAX_PAGE, 100);
        List<DeadLetter> page = store.deadLetters(target(target), reason(reason), Params.id("query parameter 'after'", after), size);
        return new DeadLetters(page, page.size() == size ? page.get(page.size() - 1).id() : null);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One dead letter")
    @APIResponse(responseCode = "200", description = "the dead letter", content = @Content(schema = @Schema(implementation = DeadLetter.class)))
    @APIResponse(responseCode = "404", description = "no dead letter with that id")
    @APIResponse(responseCode = "400", description = "a malformed id")
    public DeadLetter one(@PathParam("id") String id) {
        return store.deadLetter(Params.id("path segment id", id)).orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Put a dead letter's update back into the delivery queue, re-validated against the current catalog")
    @APIResponse(responseCode = "202", description = "replayed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Replayed.class)))
    @APIResponse(responseCode = "404", description = "no dead letter with that id")
    @APIResponse(responseCode = "409", description = "the dead letter holds an intake line that is not an update: fix and resubmit it")
    @APIResponse(responseCode = "400", description = "a malformed id")
    public Response replay(@PathParam("id") String id) {
        DeadLetter deadLetter = store.deadLetter(Params.id("path segment id", id)).orElseThrow(() -> notFound(id));
        return Response.accepted(new Replayed(List.of(replay(deadLetter)))).build();
    }

    /** Replays every dead letter that matches the filters (all of them without any). */
    @POST
    @Path("/replay")
    @Operation(summary = "Replay every dead letter that matches the filters (all without any)")
    @APIResponse(responseCode = "202", description = "the replayed update ids",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Replayed.class)))
    @APIResponse(responseCode = "400", description = "an unknown reason, or a malformed target")
    public Response replayAll(@QueryParam("target") String target, @QueryParam("reason") String reason) {
        return Response.accepted(new Replayed(store.replayAll(target(target), reason(reason)))).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a dead letter")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "no dead letter with that id")
    @APIResponse(responseCode = "400", description = "a malformed id")
    public Response delete(@PathParam("id") String id) {
        if (!store.deleteDeadLetter(Params.id("path segment id", id))) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    /** The update back into the queue, re-validated when it is delivered; returns its id. */
    private String replay(DeadLetter deadLetter) {
        if (deadLetter.update() == null) {
            throw new ProblemException(Status.CONFLICT, "dead letter " + deadLetter.id() + " holds a line that could not be"
                    + " read as an update (" + deadLetter.origin() + "): fix it and submit it again, then delete this one");
        }
        String id = store.replay(deadLetter);
        if (id == null) {
            throw notFound(deadLetter.id()); // replayed or deleted by someone else meanwhile
        }
        return id;
    }

    private static DeadLetter.Reason reason(String reason) {
        List<String> reasons = Arrays.stream(DeadLetter.Reason.values()).map(Enum::name).toList();
        return reason == null ? null : DeadLetter.Reason.valueOf(Params.oneOf("query parameter 'reason'", reason, reasons));
    }

    /** A target's form, not whether it is enabled now: letters outlive a target that is switched off. */
    private static String target(String target) {
        return Params.crm("query parameter 'target'", target);
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Status.NOT_FOUND, "no dead letter with id '" + id + "'");
    }
}
