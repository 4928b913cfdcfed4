package io.leadsync.crm.truto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.leadsync.sandbox.BearerToken;
import io.leadsync.sandbox.CrmError;
import io.leadsync.sandbox.SandboxFake;

/**
 * Truto's unified CRM "List Stages", as its public doc and a Pipedrive integration give it: two
 * pipelines, one inactive stage, {@code remote_data} shaped like Pipedrive's stage. {@code limit} is
 * capped (default 2) so the catalog needs several cursors; a cursor is the base64url of an offset.
 * Every call counts against Truto's per-account rate limit. Its leads are {@link FakeTrutoLeads}.
 * Base URL for leadsync: {@code http://<host>/sandbox/truto}.
 */
@SandboxFake
@Path("/sandbox/truto/unified/crm/stages")
@Produces(MediaType.APPLICATION_JSON)
public class FakeTruto {

    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ObjectMapper mapper;
    private final TrutoConfig.Sandbox config;
    private final List<ObjectNode> stages;
    /** Per known integrated account, the System.nanoTime() of its requests in the last 10 s. */
    private final Map<String, Deque<Long>> recentRequests = new ConcurrentHashMap<>();

    public FakeTruto(ObjectMapper mapper, TrutoConfig config) {
        this.mapper = mapper;
        this.config = config.sandbox();
        this.stages = List.of(
                stage(1, "Lead In", 1, true, 1, "Sales"),
                stage(2, "Contact Made", 2, true, 1, "Sales"),
                stage(3, "Proposal Made", 3, true, 1, "Sales"),
                stage(4, "Negotiations Started", 4, true, 1, "Sales"),
                stage(5, "Intro Call", 1, true, 2, "Partnerships"),
                stage(6, "Pilot Running", 2, true, 2, "Partnerships"),
                stage(7, "Referral Program (old)", 3, false, 2, "Partnerships"));
    }

    @GET
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("integrated_account_id") String account, @QueryParam("limit") String limit,
            @QueryParam("next_cursor") String cursor) {
        checkAccess(authorization, account);
        int size;
        int offset;
        try {
            size = Math.min(limit(limit), config.trutoMaxLimit());
            offset = offset(cursor, stages.size());
        } catch (IllegalArgumentException e) {
            throw error(400, "Bad Request", e.getMessage());
        }
        int end = Math.min(offset + size, stages.size());

        ObjectNode body = mapper.createObjectNode();
        body.putArray("result").addAll(stages.subList(offset, end));
        body.put("next_cursor", end < stages.size() ? cursor(end) : null);
        body.put("prev_cursor", offset > 0 ? cursor(Math.max(0, offset - size)) : null);
        body.put("result_count", end - offset);
        body.put("is_partial_response", false);
        return Response.ok(body).build();
    }

    static int limit(String value) {
        if (value == null || value.isBlank()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("limit must be a positive integer.");
    }

    /** The position a cursor of {@link #cursor} stands for in a list of {@code size} items. */
    static int offset(String cursor, int size) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (offset > 0 && offset < size) {
                return offset;
            }
        } catch (IllegalArgumentException e) { // bad base64 or not a number
            // reported below
        }
        throw new IllegalArgumentException("Invalid cursor.");
    }

    static String cursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.valueOf(offset).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What every unified call checks first: the token, a known integrated_account_id, and Truto's rate
     * limit of {@code leadsync.sandbox.truto-requests-per-10s} requests per account in a sliding 10 s.
     */
    void checkAccess(String authorization, String account) {
        if (!BearerToken.matches(authorization, config.trutoToken())) {
            throw error(401, "Unauthorized", "Invalid API token.");
        }
        if (account == null || account.isBlank()) {
            throw error(400, "Bad Request", "integrated_account_id is required.");
        }
        if (!config.trutoAccounts().contains(account)) {
            throw error(404, "Not Found", "Integrated account " + account + " not found.");
        }
        if (!withinRateLimit(account)) {
            throw new CrmError(errorResponse(429, "Too Many Requests", "Rate limit exceeded: at most "
                    + config.trutoRequestsPer10s() + " requests per 10 seconds per integrated account.")
                    .header("Retry-After", "10").build());
        }
    }

    /** Counts this request unless the account already made the limit's worth in the last 10 s. */
    private boolean withinRateLimit(String account) {
        Deque<Long> recent = recentRequests.computeIfAbsent(account, known -> new ArrayDeque<>());
        synchronized (recent) {
            long now = System.nanoTime();
            while (!recent.isEmpty() && now - recent.peekFirst() >= RATE_WINDOW_NANOS) {
                recent.removeFirst();
            }
            if (recent.size() >= config.trutoRequestsPer10s()) {
                return false;
            }
            recent.addLast(now);
            return true;
        }
    }

    /** Truto's error body {@code {statusCode, error, message}}. */
    static CrmError error(int status, String error, String message) {
        return new CrmError(errorResponse(status, error, message).build());
    }

    private static Response.ResponseBuilder errorResponse(int status, String error, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("statusCode", status).put("error", error).put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
    }

    /** One stage as Truto unifies it, with Pipedrive's own record (GET /v1/stages) as remote_data. */
    private ObjectNode stage(int id, String name, int position, boolean active, int pipelineId, String pipelineName) {
        String created = pipelineId == 1 ? "2026-01-10T09:00:00.000Z" : "2026-01-20T09:00:00.000Z";
        String updated = active ? created : "2026-02-01T12:00:00.000Z";
        ObjectNode stage = mapper.createObjectNode()
                .put("id", String.valueOf(id))
                .put("name", name)
                .put("position", position)
                .put("status", active ? "active" : "inactive");
        stage.putObject("pipeline").put("id", String.valueOf(pipelineId)).put("name", pipelineName);
        stage.put("created_at", created).put("updated_at", updated);
        stage.putObject("remote_data")
                .put("id", id)
                .put("order_nr", position)
                .put("name", name)
                .put("active_flag", active)
                .put("deal_probability", 100)
                .put("pipeline_id", pipelineId)
                .put("rotten_flag", false)
                .putNull("rotten_days")
                .put("add_time", pipedriveTime(created))
                .put("update_time", pipedriveTime(updated))
                .put("pipeline_name", pipelineName)
                .put("pipeline_deal_probability", true);
        return stage;
    }

    /** Pipedrive writes UTC times as {@code 2026-01-11 09:00:00}. */
    private static String pipedriveTime(String iso) {
        return iso.substring(0, 19).replace('T', ' ');
    }
}
