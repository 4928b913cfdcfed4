package io.leadsync.crm.superfone;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.leadsync.sandbox.CrmError;
import io.leadsync.sandbox.SandboxFake;

/**
 * Superfone's "List Lead Stages", as in its public doc. The page size is capped (default 3) so the
 * demo catalog spans several pages; the answer reports the capped page_size. Its leads are
 * {@link FakeSuperfoneLeads}.
 * Base URL for leadsync: {@code http://<host>/sandbox/superfone}.
 */
@SandboxFake
@Path("/sandbox/superfone/enterprise/api/lead-stage")
@Produces(MediaType.APPLICATION_JSON)
public class FakeSuperfone {

    private static final String CREATED_AT = "2026-01-15T09:00:00.000Z";

    private final ObjectMapper mapper;
    private final SuperfoneConfig.Sandbox config;
    private final List<ObjectNode> stages;

    public FakeSuperfone(ObjectMapper mapper, SuperfoneConfig config) {
        this.mapper = mapper;
        this.config = config.sandbox();
        this.stages = List.of(
                stage(9, "New Lead", "ACTIVE", "INITIAL", 1, true, null),
                stage(10, "Qualified", "ACTIVE", "NONE", 2, true, null),
                stage(11, "Demo Scheduled", "ACTIVE", "NONE", 3, true, null),
                stage(12, "Negotiation", "ACTIVE", "NONE", 4, true, null),
                stage(13, "Won", "ACTIVE", "FINAL_POSITIVE", 5, true, null),
                stage(14, "Lost", "ACTIVE", "FINAL_NEGATIVE", 6, true, null),
                stage(15, "AI Follow-up", "ACTIVE", "NONE", 7, false, "AI_RECEPTIONIST"),
                stage(16, "Cold (old)", "DISABLED", "NONE", null, true, null));
    }

    @GET
    public Response list(@HeaderParam("x-api-key") String key, @QueryParam("text") String text,
            @QueryParam("page") String page, @QueryParam("page_size") String pageSize) {
        checkKey(key);
        int current;
        int size;
        try {
            current = positive("page", page, 1);
            size = Math.min(positive("page_size", pageSize, 50), config.superfoneMaxPageSize());
        } catch (IllegalArgumentException e) {
            throw message(400, e.getMessage());
        }
        String filter = text == null ? "" : text.toLowerCase(Locale.ROOT);
        List<ObjectNode> matching = stages.stream()
                .filter(stage -> stage.get("title").asText().toLowerCase(Locale.ROOT).contains(filter))
                .toList();
        int from = (int) Math.min((long) (current - 1) * size, matching.size());
        int to = Math.min(from + size, matching.size());

        ObjectNode body = mapper.createObjectNode();
        ObjectNode data = body.putObject("data");
        data.putArray("rows").addAll(matching.subList(from, to));
        data.put("total_pages", (matching.size() + size - 1) / size);
        data.put("current_page", current);
        data.put("page_size", size);
        data.put("total_items", matching.size());
        body.put("message", "success");
        return Response.ok(body).build();
    }

    private static int positive(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a number greater than or equal to 1");
    }

    /** The x-api-key every Superfone call needs. */
    void checkKey(String key) {
        if (!config.superfoneApiKey().equals(key)) {
            throw message(401, "UnAuthorized, Please Provide Valid API Key");
        }
    }

    /** The stage catalog, for the leads' lead_stage_name. */
    List<ObjectNode> stages() {
        return stages;
    }

    /** Superfone's error body {@code {"message"}}. */
    static CrmError message(int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", message);
        return new CrmError(Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build());
    }

    private ObjectNode stage(int id, String title, String status, String type, Integer position,
            boolean editable, String identifier) {
        return mapper.createObjectNode()
                .put("id", id)
                .put("org_id", 42)
                .put("title", title)
                .put("status", status)
                .put("type", type)
                .put("position", position)
                .put("is_editable", editable)
                .put("identifier", identifier)
                .put("created_by", 678)
                .putNull("updated_by")
                .put("created_at", CREATED_AT)
                .put("updated_at", CREATED_AT);
    }
}
