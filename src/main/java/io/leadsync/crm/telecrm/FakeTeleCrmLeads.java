package io.leadsync.crm.telecrm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.leadsync.sandbox.CrmError;
import io.leadsync.sandbox.JsonBody;
import io.leadsync.sandbox.SandboxConfig;
import io.leadsync.sandbox.SandboxFake;

/**
 * TeleCRM's Sync API leads, as its public docs give them ("Leads — Examples", "Get a lead", the leads
 * and actions pages, the pitfalls): create, update, add actions, search and get, in memory.
 * <ul>
 * <li>{@code fields.phone} is the lead identifier: required on create, unique, never updated.</li>
 * <li>Like TeleCRM, a value it cannot take is dropped, not refused: the request succeeds and names it in
 * {@code remarks} with status IGNORED. Checked here: {@code rating} (1–5), {@code status} (an active label
 * of {@link FakeTeleCrm}'s pipeline, case-sensitive), an action's type (a custom code or PAYMENT) and a
 * payment's status, currency and amount.</li>
 * <li>Search matches each given field (an array means any of its values; text case-insensitively except
 * {@code status}, as the pitfalls say); {@code created_on{from,to}} (epoch ms, inclusive) filters on the time the
 * fake set when it created the lead (a lead's {@code created_on} is the CRM's, never the caller's). The fake cannot
 * search by actions or by a workspace-format date: 400.</li>
 * <li>At most {@code leadsync.sandbox.max-leads} leads and {@value #MAX_ACTIONS} actions per lead.</li>
 * </ul>
 */
@SandboxFake
@Path("/sandbox/telecrm/autoupdate/v2/enterprise/{enterpriseId}/lead")
@Produces(MediaType.APPLICATION_JSON)
public class FakeTeleCrmLeads {

    private static final int MAX_ACTIONS = 1000;
    private static final String CREATED_ON = "created_on";
    private static final Pattern CUSTOM_ACTION = Pattern.compile("\\d+");
    private static final Set<String> PAYMENT_STATUSES = Set.of(
            "PENDING", "COMPLETED", "FAILED", "REFUNDED", "CANCELLED", "PROCESSING");
    private static final Set<String> CURRENCIES = Set.of(
            "INR", "USD", "PKR", "AED", "QAR", "SAR", "MYR", "AUD", "CAD", "SGD", "XOF");
    private static final String NOT_WRITABLE = "Only custom actions and payment actions can be created";

    /** A stored lead. Never changed once stored (an update stores a new one), so reads need no lock. */
    private record Lead(String id, long sequence, ObjectNode fields, List<JsonNode> actions) {

        Lead withFields(ObjectNode changes) {
            ObjectNode merged = fields.deepCopy();
            merged.setAll(changes);
            return new Lead(id, sequence, merged, actions);
        }

        Lead withActions(List<JsonNode> added) {
            if (actions.size() + added.size() > MAX_ACTIONS) {
                throw badRequest("A sandbox lead holds at most " + MAX_ACTIONS + " actions.");
            }
            List<JsonNode> all = new ArrayList<>(actions);
            all.addAll(added);
            return new Lead(id, sequence, fields, List.copyOf(all));
        }
    }

    /** An IGNORED entry of {@code remarks}: the request path of what was dropped, and why. */
    private record Remark(String field, String remark) {
    }

    private final ObjectMapper mapper;
    private final SandboxConfig config;
    private final FakeTeleCrm teleCrm;
    private final Map<String, Lead> leadsById = new ConcurrentHashMap<>();
    private final Map<String, String> idsByPhone = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final long idBase = ThreadLocalRandom.current().nextLong(1L << 48);

    public FakeTeleCrmLeads(ObjectMapper mapper, SandboxConfig config, FakeTeleCrm teleCrm) {
        this.mapper = mapper;
        this.config = config;
        this.teleCrm = teleCrm;
    }

    @POST
    public Response create(@PathParam("enterpriseId") String enterpriseId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        teleCrm.checkAccess(authorization, enterpriseId);
        JsonNode request = parse(body);
        JsonNode fields = request.path("fields");
        String phone = identifier(fields.get("phone"));
        if (phone == null) {
            throw badRequest("fields.phone is required: it is the lead identifier field.");
        }
        JsonNode actions = request.path("actions");
        if (!actions.isMissingNode() && !actions.isArray()) {
            throw badRequest("actions must be an array.");
        }
        List<Remark> remarks = new ArrayList<>();
        ObjectNode accepted = acceptedFields(fields, remarks);
        accepted.put("phone", phone);
        accepted.put(CREATED_ON, System.currentTimeMillis());
        List<JsonNode> created = new ArrayList<>();
        ArrayNode actionResults = createActions(actions, remarks, created);

        Lead lead = new Lead(newId(), sequence.incrementAndGet(), accepted, List.of())
                .withActions(created);
        synchronized (leadsById) {
            if (idsByPhone.containsKey(phone)) {
                throw FakeTeleCrm.error(409, "LEAD_ALREADY_EXISTS", "A lead with phone " + phone + " already exists.");
            }
            if (leadsById.size() >= config.maxLeads()) {
                throw badRequest("The sandbox holds at most " + config.maxLeads() + " leads.");
            }
            leadsById.put(lead.id(), lead);
            idsByPhone.put(phone, lead.id());
        }
        ObjectNode answer = mapper.createObjectNode().put("lead_id", lead.id());
        answer.set("actions", actionResults);
        answer.set("remarks", json(remarks));
        return Response.status(201).entity(answer).build();
    }

    /** Updates fields only; the answer is the lead's current fields (plus remarks, which the docs say to check). */
    @POST
    @Path("{leadId}")
    public Response update(@PathParam("enterpriseId") String enterpriseId, @PathParam("leadId") String leadId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        teleCrm.checkAccess(authorization, enterpriseId);
        lead(leadId);
        JsonNode request = parse(body);
        JsonNode fields = request.path("fields");
        if (!fields.isObject() || request.has("actions")) {
            throw badRequest("An update takes fields only; add actions with POST /lead/{leadId}/action.");
        }
        if (fields.has("phone")) {
            throw FakeTeleCrm.error(403, "INVALID_LEAD", "phone is the lead identifier field and cannot be updated.");
        }
        List<Remark> remarks = new ArrayList<>();
        ObjectNode accepted = acceptedFields(fields, remarks);
        Lead updated = leadsById.computeIfPresent(leadId, (id, lead) -> lead.withFields(accepted));

        ObjectNode answer = mapper.createObjectNode();
        answer.set("fields", updated.fields());
        answer.set("remarks", json(remarks));
        return Response.ok(answer).build();
    }

    @POST
    @Path("{leadId}/action")
    public Response addActions(@PathParam("enterpriseId") String enterpriseId, @PathParam("leadId") String leadId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        teleCrm.checkAccess(authorization, enterpriseId);
        lead(leadId);
        JsonNode actions = parse(body).path("actions");
        if (!actions.isArray() || actions.isEmpty()) {
            throw badRequest("actions must be a non-empty array.");
        }
        if (StreamSupport.stream(actions.spliterator(), false).noneMatch(FakeTeleCrmLeads::writableType)) {
            throw badRequest(NOT_WRITABLE);
        }
        List<Remark> remarks = new ArrayList<>();
        List<JsonNode> created = new ArrayList<>();
        ArrayNode actionResults = createActions(actions, remarks, created);
        leadsById.computeIfPresent(leadId, (id, lead) -> lead.withActions(created));

        ObjectNode answer = mapper.createObjectNode().put("lead_id", leadId);
        answer.set("actions", actionResults);
        answer.set("remarks", json(remarks));
        return Response.ok(answer).build();
    }

    @POST
    @Path("search")
    public Response search(@PathParam("enterpriseId") String enterpriseId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("skip") String skip, @QueryParam("limit") String limit, String body) {
        teleCrm.checkAccess(authorization, enterpriseId);
        int first = skip(skip);
        int size = limit(limit);
        JsonNode request = parse(body);
        JsonNode filter = request.path("fields");
        if (!filter.isMissingNode() && !filter.isObject()) {
            throw badRequest("fields must be an object.");
        }
        if (request.has("actions")) {
            throw badRequest("The sandbox cannot search by actions.");
        }
        long[] created = createdBetween(filter.path(CREATED_ON));
        ObjectNode byValue = filter.isObject() ? ((ObjectNode) filter).deepCopy().without(CREATED_ON) : mapper.createObjectNode();
        List<Lead> matching = leadsById.values().stream()
                .filter(lead -> matches(lead.fields(), byValue))
                .filter(lead -> lead.fields().path(CREATED_ON).asLong() >= created[0] && lead.fields().path(CREATED_ON).asLong() <= created[1])
                .sorted(Comparator.comparingLong(Lead::sequence).reversed())
                .toList();

        ObjectNode answer = mapper.createObjectNode();
        ArrayNode data = answer.putArray("data");
        matching.stream().skip(first).limit(size)
                .forEach(lead -> data.addObject().put("id", lead.id()).set("fields", lead.fields()));
        answer.put("total_count", matching.size());
        return Response.ok(answer).build();
    }

    /** The lead's fields; with includeActions=true also a page of its actions, newest first. */
    @GET
    @Path("{leadId}")
    public Response get(@PathParam("enterpriseId") String enterpriseId, @PathParam("leadId") String leadId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("includeActions") String includeActions,
            @QueryParam("skip") String skip, @QueryParam("limit") String limit) {
        teleCrm.checkAccess(authorization, enterpriseId);
        Lead lead = lead(leadId);
        ObjectNode answer = mapper.createObjectNode();
        answer.set("fields", lead.fields());
        if (Boolean.parseBoolean(includeActions)) {
            int first = skip(skip);
            int size = limit(limit);
            ArrayNode actions = answer.putArray("actions");
            for (int i = lead.actions().size() - 1 - first; i >= 0 && actions.size() < size; i--) {
                actions.add(lead.actions().get(i));
            }
            answer.put("actions_skip", first).put("actions_limit", size);
        }
        return Response.ok(answer).build();
    }

    private Lead lead(String leadId) {
        Lead lead = leadsById.get(leadId);
        if (lead == null) {
            throw FakeTeleCrm.error(404, "LEAD_NOT_FOUND", "The lead with ID " + leadId + " was not found.");
        }
        return lead;
    }

    /** The fields a lead can take; each dropped one goes to remarks. */
    private ObjectNode acceptedFields(JsonNode fields, List<Remark> remarks) {
        ObjectNode accepted = mapper.createObjectNode();
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            String problem = switch (field.getKey()) {
                case "rating" -> rating(field.getValue()) ? null : "Rating must be between 1 and 5";
                case "status" -> teleCrm.statusProblem(field.getValue());
                case CREATED_ON -> "created_on is set by TeleCRM";
                default -> null;
            };
            if (problem == null) {
                accepted.set(field.getKey(), field.getValue());
            } else {
                remarks.add(new Remark("fields." + field.getKey(), problem));
            }
        }
        return accepted;
    }

    private static boolean rating(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToInt() && value.asInt() >= 1 && value.asInt() <= 5;
    }

    /** One result per action, in request order: CREATED with a new id, or IGNORED with a remark. */
    private ArrayNode createActions(JsonNode actions, List<Remark> remarks, List<JsonNode> created) {
        ArrayNode results = mapper.createArrayNode();
        for (int i = 0; i < actions.size(); i++) {
            JsonNode action = actions.get(i);
            Remark problem = actionProblem("actions[" + i + "]", action);
            if (problem == null) {
                results.addObject().put("action_id", newId()).put("status", "CREATED");
                created.add(action);
            } else {
                results.addObject().putNull("action_id").put("status", "IGNORED");
                remarks.add(problem);
            }
        }
        return results;
    }

    private static Remark actionProblem(String path, JsonNode action) {
        if (!writableType(action)) {
            String type = action.path("type").asText();
            return new Remark(path + ".type", type.startsWith("ACTION_")
                    ? "A custom action's type is its bare code, without ACTION_ (that prefix is the Async API's)"
                    : NOT_WRITABLE);
        }
        if (!action.get("type").asText().equals("PAYMENT")) {
            return null;
        }
        if (!PAYMENT_STATUSES.contains(action.path("status").asText())) {
            return new Remark(path + ".status", "Payment status must be one of " + PAYMENT_STATUSES);
        }
        if (!CURRENCIES.contains(action.path("currency").asText())) {
            return new Remark(path + ".currency", "Payment currency must be one of " + CURRENCIES);
        }
        JsonNode amount = action.path("amount");
        if (!amount.isNumber() && !(amount.isTextual() && amount.asText().matches("\\d+(\\.\\d+)?"))) {
            return new Remark(path + ".amount", "Payment amount must be a number");
        }
        return null;
    }

    private static boolean writableType(JsonNode action) {
        JsonNode type = action.path("type");
        return type.isTextual() && (type.asText().equals("PAYMENT") || CUSTOM_ACTION.matcher(type.asText()).matches());
    }

    /** Every given field equal; an array value means any of its values. */
    /** created_on{from,to}, inclusive epoch ms, either end open; every time when absent. */
    private static long[] createdBetween(JsonNode range) {
        if (range.isMissingNode()) {
            return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        }
        JsonNode from = range.path("from");
        JsonNode to = range.path("to");
        if (!range.isObject() || !(from.isMissingNode() || from.canConvertToLong()) || !(to.isMissingNode() || to.canConvertToLong())) {
            throw badRequest("fields.created_on must be {from, to} in epoch milliseconds (the sandbox takes no dates).");
        }
        return new long[] {from.isMissingNode() ? Long.MIN_VALUE : from.asLong(), to.isMissingNode() ? Long.MAX_VALUE : to.asLong()};
    }

    private static boolean matches(ObjectNode fields, JsonNode filter) {
        for (Map.Entry<String, JsonNode> wanted : filter.properties()) {
            JsonNode actual = fields.get(wanted.getKey());
            List<JsonNode> anyOf = wanted.getValue().isArray()
                    ? StreamSupport.stream(wanted.getValue().spliterator(), false).toList()
                    : List.of(wanted.getValue());
            if (actual == null || anyOf.stream().noneMatch(value -> same(wanted.getKey(), actual, value))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(String field, JsonNode actual, JsonNode wanted) {
        if (actual.isNumber() && wanted.isNumber()) {
            return actual.decimalValue().compareTo(wanted.decimalValue()) == 0;
        }
        if (actual.isValueNode() && wanted.isValueNode()) {
            return field.equals("status") ? actual.asText().equals(wanted.asText())
                    : actual.asText().equalsIgnoreCase(wanted.asText());
        }
        return actual.equals(wanted);
    }

    private static String identifier(JsonNode phone) {
        if (phone == null || !(phone.isTextual() || phone.isIntegralNumber()) || phone.asText().isBlank()) {
            return null;
        }
        return phone.asText().strip();
    }

    private static int skip(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        int skip = number(value);
        if (skip < 0) {
            throw badRequest("Skip should be a number greater than or equal to 0");
        }
        return skip;
    }

    private static int limit(String value) {
        int limit = value == null || value.isBlank() ? 10 : number(value);
        if (limit < 1 || limit > 100) {
            throw badRequest("Limit should be between 1 and 100");
        }
        return limit;
    }

    /** The number, or -1 when the text is none (every caller refuses -1). */
    private static int number(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private JsonNode parse(String body) {
        ObjectNode request = JsonBody.parse(mapper, body);
        if (request == null) {
            throw badRequest("The request body must be a JSON object.");
        }
        return request;
    }

    private ArrayNode json(List<Remark> remarks) {
        ArrayNode array = mapper.createArrayNode();
        remarks.forEach(remark -> array.addObject()
                .put("field", remark.field()).put("status", "IGNORED").put("remark", remark.remark()));
        return array;
    }

    /** 24 hex characters like TeleCRM's ids: the time in seconds, then a counter from a random start. */
    private String newId() {
        return "%08x%016x".formatted(Instant.now().getEpochSecond(), idBase + sequence.incrementAndGet());
    }

    private static CrmError badRequest(String message) {
        return FakeTeleCrm.error(400, "BAD_REQUEST", message);
    }
}
