package io.leadsync.crm.truto;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.leadsync.sandbox.CrmError;
import io.leadsync.sandbox.JsonBody;
import io.leadsync.sandbox.SandboxConfig;
import io.leadsync.sandbox.SandboxFake;
import io.leadsync.sandbox.SandboxWebhooks;

/**
 * Truto's unified CRM leads (list, create, update, get), in memory, each lead visible only to the integrated
 * account that created it; the list pages in creation order with Truto's {@code next_cursor}. The answer is the unified lead itself: the fields sent, a string {@code id}
 * (a UUID, as Pipedrive gives its leads), {@code created_at} and {@code updated_at}; no remote_data.
 * Every call counts against the rate limit of {@link FakeTruto#checkAccess}. At most
 * {@code leadsync.sandbox.max-leads} leads.
 */
@SandboxFake
@Path("/sandbox/truto/unified/crm/leads")
@Produces(MediaType.APPLICATION_JSON)
public class FakeTrutoLeads {

    private static final Set<String> SET_BY_TRUTO = Set.of("id", "created_at", "updated_at");
    private static final List<String> TEXT_FIELDS = List.of("first_name", "last_name", "status", "lead_source");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A stored lead (never changed once stored: an update stores a new one) and its integrated account. */
    private record StoredLead(String account, ObjectNode lead) {
    }

    /** What a create with an Idempotency-Key was first asked and answered. */
    private record FirstCreate(JsonNode request, ObjectNode answer) {
    }

    private final ObjectMapper mapper;
    private final SandboxConfig config;
    private final FakeTruto truto;
    private final TrutoConfig leadsync;
    private final Map<String, StoredLead> leadsById = new ConcurrentHashMap<>();
    /** Lead ids in creation order, for the list. */
    private final List<String> created = new java.util.ArrayList<>();
    /** Keyed by account and Idempotency-Key; only successful creates are kept, so bounded like the leads. */
    private final Map<String, FirstCreate> createsByKey = new ConcurrentHashMap<>();

    public FakeTrutoLeads(ObjectMapper mapper, SandboxConfig config, FakeTruto truto, TrutoConfig leadsync) {
        this.mapper = mapper;
        this.config = config;
        this.truto = truto;
        this.leadsync = leadsync;
    }

    /**
     * Creates a lead: 201. With an Idempotency-Key, a repeat of the same body answers the first create
     * again and makes no second lead; the same key with a different body is 422, which is what the IETF
     * draft "The Idempotency-Key HTTP Header Field" prescribes for a reused key (Truto's docs only say
     * that writes accept the header).
     */
    @POST
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("integrated_account_id") String account,
            @HeaderParam("Idempotency-Key") String idempotencyKey, String body, @Context UriInfo uri) {
        truto.checkAccess(authorization, account);
        ObjectNode request = validLead(body);
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return Response.status(201).entity(newLead(uri, account, request)).build();
        }
        FirstCreate first = createsByKey.computeIfAbsent(account + '\n' + idempotencyKey,
                key -> new FirstCreate(request, newLead(uri, account, request)));
        if (!first.request().equals(request)) {
            throw FakeTruto.error(422, "Unprocessable Entity",
                    "Idempotency-Key " + idempotencyKey + " was already used with a different request body.");
        }
        return Response.status(201).entity(first.answer()).build();
    }

    /** Changes the fields sent, keeps the others: 200 with the whole lead. */
    @PATCH
    @Path("{id}")
    public Response update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("integrated_account_id") String account, @PathParam("id") String id, String body,
            @Context UriInfo uri) {
        truto.checkAccess(authorization, account);
        JsonNode before = lead(account, id).path("status");
        ObjectNode changes = validLead(body);
        StoredLead updated = leadsById.computeIfPresent(id, (key, stored) -> {
            ObjectNode lead = stored.lead().deepCopy();
            lead.setAll(withoutTrutoFields(changes));
            lead.put("updated_at", TIMESTAMP.format(Instant.now()));
            return new StoredLead(account, lead);
        });
        if (!updated.lead().path("status").equals(before)) {
            notify(uri, "record:updated", account, updated.lead());
        }
        return Response.ok(updated.lead()).build();
    }

    /** The account's leads, oldest first, a page of {@code limit} at a time. */
    @GET
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("integrated_account_id") String account, @QueryParam("limit") String limit,
            @QueryParam("next_cursor") String cursor) {
        truto.checkAccess(authorization, account);
        List<JsonNode> leads;
        synchronized (leadsById) {
            leads = created.stream().map(leadsById::get).filter(stored -> stored.account().equals(account))
                    .map(stored -> (JsonNode) stored.lead()).toList();
        }
        int size;
        int offset;
        try {
            size = Math.min(FakeTruto.limit(limit), leadsync.sandbox().trutoMaxLimit());
            offset = FakeTruto.offset(cursor, leads.size());
        } catch (IllegalArgumentException e) {
            throw FakeTruto.error(400, "Bad Request", e.getMessage());
        }
        int end = Math.min(offset + size, leads.size());
        ObjectNode body = mapper.createObjectNode();
        body.putArray("result").addAll(leads.subList(offset, end));
        body.put("next_cursor", end < leads.size() ? FakeTruto.cursor(end) : null);
        body.put("prev_cursor", offset > 0 ? FakeTruto.cursor(Math.max(0, offset - size)) : null);
        body.put("result_count", end - offset);
        body.put("is_partial_response", false);
        return Response.ok(body).build();
    }

    @GET
    @Path("{id}")
    public Response get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("integrated_account_id") String account, @PathParam("id") String id) {
        truto.checkAccess(authorization, account);
        return Response.ok(lead(account, id)).build();
    }

    private ObjectNode newLead(UriInfo uri, String account, ObjectNode request) {
        ObjectNode lead = store(account, request);
        notify(uri, "record:created", account, lead);
        return lead;
    }

    /**
     * The webhook of a lead's new stage ({@code status}), shaped as Truto's webhook docs give it and signed with
     * leadsync.truto.webhook-secret in x-truto-signature, to this server's POST /webhooks/truto.
     */
    private void notify(UriInfo uri, String event, String account, ObjectNode lead) {
        Optional<String> secret = leadsync.truto().webhookSecret().filter(s -> !s.isBlank());
        if (!leadsync.sandbox().trutoWebhooks() || secret.isEmpty() || !lead.path("status").isTextual()) {
            return;
        }
        ObjectNode webhook = mapper.createObjectNode().put("id", UUID.randomUUID().toString()).put("event", event)
                .put("environment_id", "sandbox").put("webhook_id", "sandbox-webhook")
                .put("created_at", TIMESTAMP.format(Instant.now()));
        webhook.putObject("payload").put("integrated_account_id", account).put("resource", "crm/leads").set("record", lead);
        String body = webhook.toString();
        SandboxWebhooks.send(uri.getBaseUri(), "/webhooks/truto", "Truto " + event + " webhook", body,
                "x-truto-signature", TrutoSignatures.sign(secret.get(), body.getBytes(StandardCharsets.UTF_8)));
    }

    private ObjectNode store(String account, ObjectNode request) {
        String now = TIMESTAMP.format(Instant.now());
        ObjectNode lead = mapper.createObjectNode().put("id", UUID.randomUUID().toString());
        lead.setAll(withoutTrutoFields(request));
        lead.put("created_at", now).put("updated_at", now);
        synchronized (leadsById) {
            if (leadsById.size() >= config.maxLeads()) {
                throw FakeTruto.error(400, "Bad Request", "The sandbox holds at most " + config.maxLeads() + " leads.");
            }
            leadsById.put(lead.get("id").asText(), new StoredLead(account, lead));
            created.add(lead.get("id").asText());
        }
        return lead;
    }

    private ObjectNode lead(String account, String id) {
        StoredLead stored = leadsById.get(id);
        if (stored == null || !stored.account().equals(account)) {
            throw FakeTruto.error(404, "Not Found", "Lead " + id + " not found.");
        }
        return stored.lead();
    }

    /** The body as a unified lead: names, status and source are text, emails and phones lists of objects. */
    private ObjectNode validLead(String body) {
        ObjectNode lead = JsonBody.parse(mapper, body);
        if (lead == null) {
            throw badRequest("The request body must be a JSON object.");
        }
        for (String field : TEXT_FIELDS) {
            if (lead.hasNonNull(field) && !lead.get(field).isTextual()) {
                throw badRequest(field + " must be a string.");
            }
        }
        checkList(lead, "email_addresses", "email");
        checkList(lead, "phone_numbers", "number");
        return lead;
    }

    private static void checkList(JsonNode lead, String field, String key) {
        JsonNode list = lead.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw badRequest(field + " must be an array.");
        }
        for (JsonNode item : list) {
            if (!item.path(key).isTextual()) {
                throw badRequest("Each of " + field + " needs a string " + key + ".");
            }
        }
    }

    private ObjectNode withoutTrutoFields(ObjectNode request) {
        ObjectNode fields = request.deepCopy();
        fields.remove(SET_BY_TRUTO);
        return fields;
    }

    private static CrmError badRequest(String message) {
        return FakeTruto.error(400, "Bad Request", message);
    }
}
