package io.leadsync.crm.superfone;

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
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.ProblemException;
import io.leadsync.webhooks.Incoming;
import io.leadsync.webhooks.Signatures;
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
 * Superfone's event notifications in: authenticated by the shared secret in the header the user set, before the body
 * is parsed ({@link SuperfoneNotifications}); stored through the shared {@link WebhookIntake}.
 */
@Path("/webhooks/superfone")
@Tag(name = "Webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SuperfoneWebhook {

    @Inject
    SuperfoneConfig config;

    @Inject
    WebhookIntake intake;

    @POST
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
        intake.checkOpen();
        String secret = intake.secret(config.superfone().webhookSecret(), "Superfone", "leadsync.superfone.webhook-secret");
        String header = config.superfone().webhookHeader();
        List<String> given = request.headers().getAll(header);
        if (given.size() != 1 || !Signatures.sameSecret(given.get(0), secret)) {
            throw intake.unauthorized("superfone", given.isEmpty() ? "header " + header + " is required"
                    : given.size() > 1 ? "header " + header + " is given " + given.size() + " times"
                            : "header " + header + " does not match leadsync.superfone.webhook-secret");
        }
        byte[] bytes = intake.read(body);
        Incoming incoming;
        try {
            incoming = SuperfoneNotifications.read(intake.json(bytes), bytes);
        } catch (Incoming.InvalidPayloadException e) {
            throw new ProblemException(Status.BAD_REQUEST, "body: " + e.getMessage());
        }
        return intake.store("superfone", incoming, bytes);
    }
}
