package io.leadsync.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.api.Params;
import io.leadsync.api.ProblemException;
import io.leadsync.api.StrictJson;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.delivery.IntakeGate;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * CRM webhooks in. Each is authenticated before its body is parsed, stored (committed) before it is answered, and
 * stored once however often it is sent; the sync flows (routes/sync-flows.yaml) carry it on from the store. These
 * calls have their own credentials, so leadsync.api-key does not apply to them.
 */
@Path("/webhooks")
@Tag(name = "Webhooks", description = "Lead changes the CRMs send, carried to the other CRMs by the sync flows")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WebhooksResource {

    private static final Logger LOG = Logger.getLogger(WebhooksResource.class);

    @Inject
    LeadsyncConfig config;

    @Inject
    WebhookEvents events;

    @Inject
    IntakeGate gate;

    /**
     * STORED, DUPLICATE (stored before: its first id) or IGNORED (nothing to carry, and why: stored with an id when the
     * sender's events are kept for the lead's history); a Truto batch answers one of these per record in events.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String id, String status, String reason, List<Answer> events) {
    }

    @POST
    @Path("/superfone")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A Superfone event notification (CUSTOMER_CREATE, CUSTOMER_CHANGE of lead_stage)",
            description = "Authenticated by the shared secret in the header leadsync.superfone.webhook-header.")
    @RequestBody(required = true, description = "Superfone's payload, at most 1 MiB",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "200", description = "stored (or stored before, or not a stage change)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answer.class)))
    @APIResponse(responseCode = "400", description = "not Superfone's payload: the problem names the field")
    @APIResponse(responseCode = "401", description = "the secret header is missing or wrong: nothing is stored")
    @APIResponse(responseCode = "413", description = "the body is larger than 1 MiB")
    @APIResponse(responseCode = "503", description = "no webhook secret is configured, the store is down, or leadsync is stopping")
    public Answer superfone(@Parameter(hidden = true) InputStream body, @Context HttpServerRequest request) throws IOException {
        gate.checkOpen();
        String secret = secret(config.superfone().webhookSecret(), "Superfone", "leadsync.superfone.webhook-secret");
        String header = config.superfone().webhookHeader();
        List<String> given = request.headers().getAll(header);
        if (given.size() != 1 || !Signatures.sameSecret(given.get(0), secret)) {
            throw unauthorized("superfone", given.isEmpty() ? "header " + header + " is required"
                    : given.size() > 1 ? "header " + header + " is given " + given.size() + " times"
                            : "header " + header + " does not match leadsync.superfone.webhook-secret");
        }
        byte[] bytes = read(body);
        Incoming incoming;
        try {
            incoming = SuperfoneNotifications.read(json(bytes), bytes);
        } catch (Incoming.InvalidPayloadException e) {
            throw new ProblemException(Status.BAD_REQUEST, "body: " + e.getMessage());
        }
        return store("superfone", incoming, bytes);
    }

    @POST
    @Path("/truto")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A Truto webhook event (record:created, record:updated, sync_job_run:record of crm/leads)",
            description = "Authenticated by x-truto-signature: [format=sha256,]v=<HMAC-SHA256 of the body with "
                    + "leadsync.truto.webhook-secret, hex or base64>. An authentic event is answered 200 whatever its "
                    + "shape: one leadsync cannot use (or created more than leadsync.webhooks.max-age ago) is IGNORED, "
                    + "with the reason. The lead is read through the Unified API when the sync flows carry it.")
    @RequestBody(required = true, description = "Truto's event, at most 1 MiB",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "200", description = "stored (or stored before), or IGNORED with the reason",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Answer.class)))
    @APIResponse(responseCode = "401", description = "the signature is missing or wrong: nothing is stored")
    @APIResponse(responseCode = "413", description = "the body is larger than 1 MiB")
    @APIResponse(responseCode = "503", description = "no webhook secret is configured, the store is down, or leadsync is stopping")
    public Answer truto(@Parameter(hidden = true) InputStream body, @Context HttpServerRequest request) throws IOException {
        gate.checkOpen();
        String secret = secret(config.truto().webhookSecret(), "Truto", "leadsync.truto.webhook-secret");
        List<String> given = request.headers().getAll("x-truto-signature");
        byte[] bytes = read(body); // the signature is over the raw bytes: read them, parse nothing yet
        String problem = given.isEmpty() ? "header x-truto-signature is required"
                : given.size() > 1 ? "header x-truto-signature is given " + given.size() + " times"
                        : Signatures.trutoProblem(given.get(0), bytes, secret);
        if (problem != null) {
            throw unauthorized("truto", problem);
        }
        // Authentic: answered 200 whatever its shape, since Truto retries any refusal and then turns the webhook off.
        List<Incoming> incoming;
        try {
            incoming = TrutoEvents.read(json(bytes), bytes, config.truto().integratedAccountIds().orElse(List.of()),
                    config.webhooks().maxAge());
        } catch (ProblemException notJson) {
            incoming = List.of(Incoming.ignored(notJson.getMessage()));
        }
        if (incoming.size() == 1) {
            return store("truto", incoming.get(0), bytes);
        }
        List<Answer> answers = incoming.stream().map(record -> store("truto", record, bytes)).toList();
        // The batch: STORED when a record was, else DUPLICATE when one was stored before, else IGNORED.
        List<String> statuses = answers.stream().map(Answer::status).toList();
        return new Answer(null, statuses.contains("STORED") ? "STORED" : statuses.contains("DUPLICATE") ? "DUPLICATE"
                : "IGNORED", null, answers);
    }

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
            @Parameter(description = "telecrm, superfone or truto:<account>; all when absent") @QueryParam("source") String source,
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

    private Answer store(String sender, Incoming incoming, byte[] bytes) {
        if (!incoming.stored()) {
            LOG.debugf("A %s webhook was not stored: %s", sender, incoming.ignored());
            return new Answer(null, "IGNORED", incoming.ignored(), null);
        }
        WebhookEvents.Stored stored = events.store(incoming, StrictJson.utf8(bytes, bytes.length));
        if (incoming.ignored() != null) {
            LOG.infof("A %s webhook (event %s) carries nothing: %s", sender, stored.id(), incoming.ignored());
            return new Answer(stored.id(), "IGNORED", incoming.ignored(), null);
        }
        return new Answer(stored.id(), stored.duplicate() ? "DUPLICATE" : "STORED", null, null);
    }

    private static String secret(Optional<String> configured, String crm, String key) {
        return configured.filter(s -> !s.isBlank()).orElseThrow(() -> new ProblemException(Status.SERVICE_UNAVAILABLE,
                "webhooks from " + crm + " are not taken: " + key + " is not set, and an event leadsync cannot authenticate is never stored"));
    }

    private static ProblemException unauthorized(String sender, String why) {
        LOG.warnf("A %s webhook was refused: %s", sender, why); // says which header, never its value
        return new ProblemException(Status.UNAUTHORIZED, why);
    }

    private static byte[] read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(StrictJson.MAX_BYTES + 1);
        if (bytes.length > StrictJson.MAX_BYTES) {
            throw new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "body is larger than 1 MiB");
        }
        if (bytes.length == 0) {
            throw new ProblemException(Status.BAD_REQUEST, "body is empty: send the CRM's event as JSON");
        }
        return bytes;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return StrictJson.read(StrictJson.utf8(bytes, bytes.length));
        } catch (StrictJson.InvalidJsonException e) {
            throw new ProblemException(Status.BAD_REQUEST, "body " + e.getMessage());
        }
    }
}
