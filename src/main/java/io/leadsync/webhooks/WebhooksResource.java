package io.leadsync.webhooks;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.Params;
import io.leadsync.api.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The CRMs' webhook events, as stored: what came in and what the sync flows made of each. The webhooks themselves
 * ({@code POST /webhooks/<crm>}) are each CRM's own resource in its package, io.leadsync.crm.&lt;crm&gt;, sharing
 * {@link WebhookIntake}: they have their own credentials, so leadsync.api-key does not apply to them.
 */
@Path("/webhooks")
@Tag(name = "Webhooks", description = "Lead changes the CRMs send, carried to the other CRMs by the sync flows")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WebhooksResource {

    @Inject
    WebhookEvents events;

    /** A lead's events, newest first. */
    @RegisterForReflection
    public record Events(List<WebhookEvent> events) {
    }

    @GET
    @Path("/events")
    @Operation(summary = "A lead's webhook events (or, without phone, every event), newest first, and what the sync flows made of each",
            description = "Shows a change carried from one CRM and its echo from the other, recognised and not carried back,"
                    + " and the events that carried nothing (IGNORED) with the reason.")
    @APIResponse(responseCode = "200", description = "the lead's events (none: an empty list)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Events.class)))
    @APIResponse(responseCode = "400", description = "phone without its country code, an unknown source, limit outside 1 to 500")
    public Events leadEvents(
            @Parameter(description = "the lead's phone with its country code, in any CRM's format (+919999999999,"
                    + " 919999999999); every lead's events when absent")
            @QueryParam("phone") String phone,
            @Parameter(description = "a source: a CRM's name, or <crm>:<account> for a CRM of several accounts; all when absent") @QueryParam("source") String source,
            @Parameter(description = "at most this many, 1 to 500; 50 when absent") @QueryParam("limit") String limit) {
        String e164 = phone == null ? null : PhoneNumbers.e164(phone);
        if (phone != null && e164 == null) {
            throw Params.bad("query parameter 'phone'", "must be a phone number with its country code", phone);
        }
        return new Events(events.ofLead(e164, Params.crm("query parameter 'source'", source),
                Params.integer("query parameter 'limit'", limit, 1, 500, 50)));
    }

    @GET
    @Path("/events/{id}")
    @Operation(summary = "A stored webhook event and what the sync flows made of it")
    @APIResponse(responseCode = "200", description = "the event: PENDING, CARRIED (with the lead updates), ECHO, STALE or IGNORED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookEvent.class)))
    @APIResponse(responseCode = "404", description = "no stored event with that id")
    public WebhookEvent event(@PathParam("id") String id) {
        return events.find(id).orElseThrow(() -> new ProblemException(Status.NOT_FOUND, "no webhook event with id '" + id + "'"));
    }
}
