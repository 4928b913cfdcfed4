package io.leadsync.crm.superfone;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.leadsync.sandbox.CrmError;
import io.leadsync.sandbox.JsonBody;
import io.leadsync.sandbox.SandboxConfig;
import io.leadsync.sandbox.SandboxFake;
import io.leadsync.sandbox.SandboxWebhooks;

/**
 * Superfone's "Create or Update Lead" (an upsert by phone) and "Get Lead" by phone, in memory.
 * <ul>
 * <li>{@code lead_stage_name} must be the exact title of one stage of {@link FakeSuperfone}'s catalog;
 * null clears the stage. {@code lead_group_name} and {@code assignee_user_phone} may only be null: the
 * fake has no groups or users, so any name is "not found".</li>
 * <li>Kept: the profile fields, labels (as names). Ignored: {@code add_products}, {@code add_phones},
 * {@code customer_note}: a lead has one phone here.</li>
 * <li>At most {@code leadsync.sandbox.max-leads} leads and {@value #MAX_LABELS} labels per lead.</li>
 * </ul>
 */
@SandboxFake
@Path("/sandbox/superfone/enterprise/api/lead")
@Produces(MediaType.APPLICATION_JSON)
public class FakeSuperfoneLeads {

    private static final Pattern E164 = Pattern.compile("\\+\\d{8,15}");
    private static final int MAX_LABELS = 100;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Predicate<JsonNode> TEXT = JsonNode::isTextual;

    /** The upsert's profile fields, in the order GET shows them, each with the type it must have (or null). */
    private static final Map<String, Predicate<JsonNode>> PROFILE = new LinkedHashMap<>();

    static {
        PROFILE.put("first_name", TEXT);
        PROFILE.put("last_name", TEXT);
        PROFILE.put("email", FakeSuperfoneLeads::textArray);
        PROFILE.put("website", TEXT);
        PROFILE.put("address", JsonNode::isObject);
        PROFILE.put("city", TEXT);
        PROFILE.put("business_name", TEXT);
        PROFILE.put("additional_info", TEXT);
        PROFILE.put("deal_value", JsonNode::isNumber);
        PROFILE.put("source", TEXT);
        PROFILE.put("source_type", TEXT);
    }


    private final ObjectMapper mapper;
    private final SandboxConfig config;
    private final FakeSuperfone superfone;
    private final SuperfoneConfig leadsync;
    /** Stored leads are never changed (an upsert stores a new copy), so GET reads them without a lock. */
    private final Map<String, ObjectNode> leadsByPhone = new ConcurrentHashMap<>();
    private long lastId = 5000;

    public FakeSuperfoneLeads(ObjectMapper mapper, SandboxConfig config, FakeSuperfone superfone, SuperfoneConfig leadsync) {
        this.mapper = mapper;
        this.config = config;
        this.superfone = superfone;
        this.leadsync = leadsync;
    }

    /**
     * The lead having this phone. The docs show no answer for an unknown phone; the fake answers the
     * upsert's own 400 "Customer not found", so a client handles one shape for both.
     */
    @GET
    public Response get(@HeaderParam("x-api-key") String key, @QueryParam("phone") String phone) {
        superfone.checkKey(key);
        ObjectNode lead = phone == null ? null : leadsByPhone.get(unescapedPlus(phone).strip());
        if (lead == null) {
            throw refused("Customer not found");
        }
        return success(lead);
    }

    /** Upserts by customer_phone; synchronized, so two upserts of one new phone make one lead. */
    @POST
    public synchronized Response upsert(@HeaderParam("x-api-key") String key, String body, @Context UriInfo uri) {
        superfone.checkKey(key);
        ObjectNode request = JsonBody.parse(mapper, body);
        if (request == null) {
            throw refused("The request body must be a JSON object");
        }
        String phone = JsonBody.text(request.get("customer_phone"));
        if (phone == null) {
            throw refused("Customer phone is required");
        }
        if (!E164.matcher(phone).matches()) {
            throw refused("Customer phone must be in E.164 format, e.g. +919876543210");
        }
        if (request.has("add_labels") && request.has("remove_labels")) {
            throw refused("Send either add_labels or remove_labels, not both");
        }
        checkTypes(request);
        if (JsonBody.text(request.get("lead_group_name")) != null) {
            throw refused("Lead group not found");
        }
        if (JsonBody.text(request.get("assignee_user_phone")) != null) {
            throw refused("Assignee user not found");
        }

        ObjectNode current = leadsByPhone.get(phone);
        if (current == null && !request.path("create_customer_if_customer_phone_not_found").asBoolean(false)) {
            throw refused("Customer not found");
        }
        if (current == null && leadsByPhone.size() >= config.maxLeads()) {
            throw refused("The sandbox holds at most " + config.maxLeads() + " leads");
        }
        ObjectNode lead = current == null ? newLead(phone) : current.deepCopy();
        PROFILE.keySet().stream().filter(request::has).forEach(field -> lead.set(field, request.get(field)));
        if (request.has("lead_stage_name")) {
            setStage(lead, request.get("lead_stage_name"));
        }
        changeLabels(lead, request);
        lead.put("updated_at", TIMESTAMP.format(Instant.now()));
        leadsByPhone.put(phone, lead);
        if (!lead.path("lead_stage_id").equals(current == null ? null : current.path("lead_stage_id"))) {
            notify(uri, current == null ? "CUSTOMER_CREATE" : "CUSTOMER_CHANGE", lead);
        }
        return success(lead);
    }

    /**
     * The event notification of a lead's new stage, shaped as Superfone's payload reference gives it, sent in the
     * background (the upsert's answer does not wait) to this server's POST /webhooks/superfone.
     */
    private void notify(UriInfo uri, String event, ObjectNode lead) {
        Optional<String> secret = leadsync.superfone().webhookSecret().filter(s -> !s.isBlank());
        if (!leadsync.sandbox().superfoneWebhooks() || secret.isEmpty() || lead.path("lead_stage").isNull()) {
            return;
        }
        ObjectNode payload = mapper.createObjectNode().put("event", event).put("superfone_number", "+918000000000")
                .put("organization_name", "leadsync sandbox").putNull("cdr_phone");
        if (event.equals("CUSTOMER_CHANGE")) {
            payload.put("updated_key", "lead_stage").set("updated_value", lead.path("lead_stage").get("title"));
        } else {
            payload.putNull("updated_key").putNull("updated_value");
        }
        payload.set("contact_id", lead.get("id"));
        payload.set("contact_first_name", lead.get("first_name"));
        payload.set("contact_last_name", lead.get("last_name"));
        payload.set("contact_phones", lead.get("phones"));
        payload.set("contact_emails", lead.get("email"));
        payload.set("contact_lead_stage_id", lead.get("lead_stage_id"));
        payload.set("contact_lead_stage_name", lead.path("lead_stage").get("title"));
        payload.set("contact_labels", mapper.createArrayNode());
        payload.set("contact_custom_fields", mapper.createObjectNode());
        SandboxWebhooks.send(uri.getBaseUri(), "/webhooks/superfone", "Superfone " + event + " notification", payload.toString(),
                leadsync.superfone().webhookHeader(), secret.get());
    }

    /**
     * The one stage titled exactly so, as the upsert resolves lead_stage_name: none or two are a 400.
     * (The demo catalog's titles are unique; the check is for a catalog where they are not.)
     */
    static ObjectNode stageTitled(List<ObjectNode> stages, String title) {
        List<ObjectNode> matching = stages.stream().filter(stage -> stage.get("title").asText().equals(title)).toList();
        if (matching.isEmpty()) {
            throw refused("Lead stage not found");
        }
        if (matching.size() > 1) {
            throw refused("Multiple lead stages found with this name");
        }
        return matching.get(0);
    }

    private void setStage(ObjectNode lead, JsonNode name) {
        if (name.isNull()) {
            lead.putNull("lead_stage_id");
            lead.putNull("lead_stage");
            return;
        }
        ObjectNode stage = stageTitled(superfone.stages(), name.asText());
        lead.put("lead_stage_id", stage.get("id").asLong());
        ObjectNode summary = lead.putObject("lead_stage");
        List.of("id", "title", "status", "type", "position").forEach(field -> summary.set(field, stage.get(field)));
    }

    private void changeLabels(ObjectNode lead, JsonNode request) {
        Set<String> labels = new LinkedHashSet<>();
        lead.get("labels").forEach(label -> labels.add(label.asText()));
        request.path("add_labels").forEach(label -> labels.add(label.asText()));
        request.path("remove_labels").forEach(label -> labels.remove(label.asText()));
        if (labels.size() > MAX_LABELS) {
            throw refused("A sandbox lead holds at most " + MAX_LABELS + " labels");
        }
        lead.putArray("labels").addAll(labels.stream().map(mapper.getNodeFactory()::textNode).toList());
    }

    private static void checkTypes(JsonNode request) {
        PROFILE.forEach((field, type) -> {
            JsonNode value = request.get(field);
            if (value != null && !value.isNull() && !type.test(value)) {
                throw refused("Invalid value for " + field);
            }
        });
        for (String field : List.of("add_labels", "remove_labels")) {
            if (request.has(field) && !textArray(request.get(field))) {
                throw refused(field + " must be an array of label names");
            }
        }
    }

    private static boolean textArray(JsonNode value) {
        if (!value.isArray()) {
            return false;
        }
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode newLead(String phone) {
        String now = TIMESTAMP.format(Instant.now());
        long id = ++lastId;
        ObjectNode lead = mapper.createObjectNode().put("id", id);
        PROFILE.keySet().forEach(lead::putNull);
        lead.putArray("email");
        lead.putNull("lead_stage_id").putNull("lead_group_id").putNull("assignee_user_id")
                .put("created_at", now).put("updated_at", now);
        lead.putArray("phones").addObject().put("phone", phone).put("customer_id", id);
        lead.putArray("labels");
        lead.putNull("lead_stage").putNull("lead_group").putNull("assignee_user");
        return lead;
    }

    /** A '+' sent unencoded in a query string arrives as a space. */
    private static String unescapedPlus(String phone) {
        return phone.startsWith(" ") ? "+" + phone.substring(1) : phone;
    }

    private Response success(ObjectNode lead) {
        ObjectNode body = mapper.createObjectNode();
        body.set("data", lead);
        body.put("message", "success");
        return Response.ok(body).build();
    }

    private static CrmError refused(String message) {
        return FakeSuperfone.message(400, message);
    }
}
