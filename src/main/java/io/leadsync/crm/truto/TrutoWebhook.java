package io.leadsync.crm.truto;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import io.leadsync.api.ProblemException;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.webhooks.Incoming;
import io.leadsync.webhooks.WebhookIntake;
import io.leadsync.webhooks.WebhookIntake.Answer;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Truto's webhooks in: authenticated by {@link TrutoSignatures} over the raw bytes before anything is parsed, read by
 * {@link TrutoEvents}, stored through the shared {@link WebhookIntake}.
 */
@Path("/webhooks/truto")
@Tag(name = "Webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TrutoWebhook {

    @Inject
    LeadsyncConfig config;

    @Inject
    TrutoConfig truto;

    @Inject
    WebhookIntake intake;

    @POST
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
        intake.checkOpen();
        String secret = intake.secret(truto.truto().webhookSecret(), "Truto", "leadsync.truto.webhook-secret");
        List<String> given = request.headers().getAll(TrutoSignatures.HEADER);
        byte[] bytes = intake.read(body); // the signature is over the raw bytes: read them, parse nothing yet
        String problem = given.isEmpty() ? "header x-truto-signature is required"
                : given.size() > 1 ? "header x-truto-signature is given " + given.size() + " times"
                        : TrutoSignatures.problem(given.get(0), bytes, secret);
        if (problem != null) {
            throw intake.unauthorized("truto", problem);
        }
        // Authentic: answered 200 whatever its shape, since Truto retries any refusal and then turns the webhook off.
        List<Incoming> incoming;
        try {
            incoming = TrutoEvents.read(intake.json(bytes), bytes, truto.truto().integratedAccountIds().orElse(List.of()),
                    config.webhooks().maxAge());
        } catch (ProblemException notJson) {
            incoming = List.of(Incoming.ignored(notJson.getMessage()));
        }
        return intake.storeAll("truto", incoming, bytes);
    }
}
