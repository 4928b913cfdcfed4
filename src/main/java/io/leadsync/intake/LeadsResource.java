package io.leadsync.intake;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.Params;
import io.vertx.core.http.HttpServerRequest;
import io.leadsync.api.ProblemException;
import io.leadsync.api.StrictJson;
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
import io.leadsync.delivery.LeadStore;

/** POST /leads accepts an update durably before it answers 202; GET /leads/{id} is its receipt. */
@Path("/leads")
@Tag(name = "Leads", description = "Lead updates routed to the CRMs, and their receipts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class LeadsResource {

    /**
     * The largest body POST /leads reads. quarkus.http.limits.max-body-size is a little larger, so that a body sent
     * without a length (chunked) is refused here, with a problem, before Quarkus's bare 413 cuts it off.
     */
    static final int MAX_BODY = StrictJson.MAX_BYTES;
    /**
     * Printable ASCII without a comma: a header value travels as Latin-1, a key is compared byte for byte, and
     * a repeated header reaches us joined by commas.
     */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x2B\\x2D-\\x7E][\\x20-\\x2B\\x2D-\\x7E]{0,254}");

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
    @APIResponse(responseCode = "415", description = "a Content-Type other than application/json (charset UTF-8)")
    @APIResponse(responseCode = "503", description = "lead intake is closed: leadsync runs a job once, or is stopping (then with Retry-After)")
    public Response accept(@Parameter(hidden = true) InputStream body, @Context HttpHeaders headers,
            @Context HttpServerRequest request,
            @Parameter(description = "1 to 255 printable ASCII characters but a comma") @HeaderParam("Idempotency-Key") String idempotencyKey)
            throws IOException {
        gate.checkOpen();
        idempotencyKey = idempotencyKey(request.headers().getAll("Idempotency-Key"));
        json(headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "body is larger than 1 MiB");
        }
        if (bytes.length == 0) {
            throw new ProblemException(Status.BAD_REQUEST, "body is empty: send a lead update as JSON");
        }
        String id;
        try {
            id = store.accept(reader.read(StrictJson.utf8(bytes, bytes.length)), idempotencyKey, "POST /leads");
        } catch (StrictJson.InvalidJsonException e) {
            throw new ProblemException(Status.BAD_REQUEST, "body " + e.getMessage());
        } catch (InvalidUpdateException e) {
            throw new ProblemException(Status.BAD_REQUEST, e.getMessage());
        }
        return Response.accepted(new AcceptedAnswer(id, "ACCEPTED")).build();
    }

    /** Read from Vert.x's headers: JAX-RS makes an empty value no header at all, and shows only the first of two. */
    private static String idempotencyKey(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ProblemException(Status.BAD_REQUEST, "header Idempotency-Key is given " + values.size() + " times: give it once");
        }
        return Params.matching("header Idempotency-Key", values.get(0), IDEMPOTENCY_KEY,
                "1 to 255 printable ASCII characters but a comma, not starting with a space (given once)");
    }

    /** JSON in UTF-8, or no Content-Type at all (then the body must still be JSON). */
    private static void json(String contentType) {
        if (contentType == null) {
            return;
        }
        MediaType type = MediaType.valueOf(contentType); // a malformed one RESTEasy refuses before we are called
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        boolean json = type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType() && !type.isWildcardSubtype();
        if (!json || (charset != null && !charset.equalsIgnoreCase("utf-8"))) {
            throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE, "header Content-Type must be application/json"
                    + " (charset UTF-8 if one is named), not '" + contentType + "'");
        }
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "The receipt of a lead update: PENDING, DELIVERED, SKIPPED or DEAD_LETTER")
    @APIResponse(responseCode = "200", description = "the receipt", content = @Content(schema = @Schema(implementation = Receipt.class)))
    @APIResponse(responseCode = "404", description = "no lead update with that id")
    @APIResponse(responseCode = "400", description = "a malformed id")
    public Receipt receipt(@PathParam("id") String id) {
        return store.receipt(Params.id("path segment id", id)).orElseThrow(() -> new ProblemException(Status.NOT_FOUND, "no lead update with id '" + id + "'"));
    }
}
