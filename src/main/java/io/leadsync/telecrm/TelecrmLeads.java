package io.leadsync.telecrm;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmCallException;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.crm.MalformedAnswerException;
import io.leadsync.delivery.LeadDelivery;
import io.leadsync.delivery.ReadBeforeWrite;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.leadsync.model.SourceLead;
import io.leadsync.sync.SyncFlows;
import io.leadsync.webhooks.WebhookEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import static io.leadsync.crm.CrmExchanges.text;

/**
 * TeleCRM's Sync API for one lead update: {@code POST lead} creates (fields and actions in one call),
 * {@code POST lead/{id}} updates fields, {@code POST lead/{id}/action} adds actions. A create that
 * answers 409 LEAD_ALREADY_EXISTS finds the lead by phone ({@code POST lead/search}) and updates it. A sync flow's
 * stage reads the lead first ({@code GET lead/{id}} or the search): see {@link ReadBeforeWrite}.
 * Whatever TeleCRM accepted but dropped (remarks with status IGNORED) is collected for the receipt and
 * for a PARTIAL dead letter that holds exactly what was dropped.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("telecrmLeads")
public class TelecrmLeads {

    /** Route properties: the lead must be found by phone first; actions still have to be sent. */
    public static final String FIND_BY_PHONE = "telecrmFindByPhone";
    public static final String ACTIONS_PENDING = "telecrmActionsPending";
    private static final String SENT_FIELDS = "telecrmSentFields";
    private static final String WHAT = "TeleCRM lead write";
    private static final String READ = "TeleCRM lead read before write";

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    TelecrmPipeline errors;

    @Inject
    ReadBeforeWrite readBeforeWrite;

    /** The first step of every delivery attempt: nothing carried over from a failed attempt. */
    public void begin(Exchange exchange) {
        exchange.setProperty(FIND_BY_PHONE, false);
        exchange.setProperty(ACTIONS_PENDING, false);
        exchange.setProperty(LeadDelivery.REMARKS, new ArrayList<Receipt.Remark>());
        exchange.removeProperty(LeadDelivery.DROPPED);
    }

    /** POST lead (no lead id yet) or POST lead/{id}. */
    public void write(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        boolean create = update.leadId() == null;
        Map<String, Object> fields = new LinkedHashMap<>();
        if (update.fields() != null) {
            fields.putAll(update.fields());
        }
        put(fields, "name", update.name());
        put(fields, "email", update.email());
        put(fields, "status", update.stage());
        put(fields, config.telecrm().lostReasonField(), update.lostReason());
        if (create) {
            put(fields, "phone", update.phone());
        } else {
            fields.remove("phone"); // touching the identifier field is a 403 INVALID_LEAD
        }
        ObjectNode body = json.createObjectNode();
        body.set("fields", json.valueToTree(fields));
        if (create && update.actions() != null) {
            body.set("actions", json.valueToTree(update.actions()));
        }
        exchange.setProperty(SENT_FIELDS, fields);
        send(exchange, create ? "/lead" : "/lead/" + encode(update.leadId()), null, body);
    }

    /** Reads a create or update answer; a 409 on create means: find the lead by phone, then update it. */
    public void readWrite(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) throws IOException {
        JsonNode answer;
        try {
            answer = CrmExchanges.answer(json, exchange, errors, WHAT);
        } catch (CrmCallException e) {
            if (e.status() == 409 && update.leadId() == null && update.phone() != null) {
                exchange.setProperty(FIND_BY_PHONE, true);
                return;
            }
            throw e;
        }
        exchange.setProperty(FIND_BY_PHONE, false);
        String leadId = update.leadId() != null ? update.leadId() : text(answer, "lead_id");
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID, leadId);
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = exchange.getProperty(SENT_FIELDS, Map.class);
        collectDropped(exchange, answer, leadId, sent, update.leadId() == null ? update.actions() : null);
        exchange.setProperty(ACTIONS_PENDING, update.leadId() != null && update.actions() != null && !update.actions().isEmpty());
    }

    /**
     * Read before write ({@link ReadBeforeWrite}): {@code GET lead/{id}}, or without a lead id the search by phone. A
     * found lead is then written with {@code POST lead/{id}} directly, not by the create that would answer 409.
     */
    public void read(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        if (update.leadId() == null) {
            search(exchange, update);
            return;
        }
        CrmExchanges.get(exchange, "Authorization", bearer(), null);
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/lead/" + encode(update.leadId()));
    }

    /** The lead's stage ({@code fields.status}) for {@link ReadBeforeWrite}; no such lead is written as usual. */
    public void readFound(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) throws IOException {
        if (update.leadId() == null) {
            JsonNode row = firstRow(exchange, READ);
            String id = row == null ? null : text(row, "id", "lead_id");
            if (row != null && id == null) {
                throw new MalformedAnswerException(READ + ": the lead search found a lead for phone " + update.phone()
                        + " but gave no id");
            }
            if (id != null) {
                exchange.setProperty(LeadDelivery.UPDATE, update.withLeadId(id));
            }
            readBeforeWrite.found(exchange, TelecrmPipeline.SOURCE, id, row == null ? null : stage(row));
            return;
        }
        JsonNode answer;
        try {
            answer = CrmExchanges.answer(json, exchange, errors, READ);
        } catch (CrmCallException e) {
            if (e.status() == 404 && e.getMessage().contains("LEAD_NOT_FOUND")) {
                readBeforeWrite.found(exchange, TelecrmPipeline.SOURCE, null, null);
                return;
            }
            throw e.in(READ);
        }
        if (!answer.path("fields").isObject()) {
            throw new MalformedAnswerException(READ + ": the answer to GET lead/" + update.leadId() + " has no 'fields' object");
        }
        readBeforeWrite.found(exchange, TelecrmPipeline.SOURCE, update.leadId(), stage(answer));
    }

    /**
     * POST lead/search by phone, in both of its forms: leadsync writes E.164 ({@code +919999999999}), TeleCRM's own
     * leads have {@code 919999999999}, and an array matches either.
     */
    public void search(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        ObjectNode body = json.createObjectNode();
        String phone = update.phone();
        body.putObject("fields").putArray("phone").add(phone).add(phone.startsWith("+") ? phone.substring(1) : "+" + phone);
        send(exchange, "/lead/search", "skip=0&limit=1", body);
    }

    /** Takes the found lead's id; the update goes on as an update of that lead. */
    public void readSearch(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) throws IOException {
        JsonNode row = firstRow(exchange, "TeleCRM lead search");
        String id = row == null ? null : text(row, "id", "lead_id");
        if (id == null) {
            throw new MalformedAnswerException("TeleCRM answered 409 LEAD_ALREADY_EXISTS for phone " + update.phone()
                    + " but its lead search returned no lead id to update");
        }
        exchange.setProperty(LeadDelivery.UPDATE, update.withLeadId(id));
    }

    /**
     * The lead a TeleCRM walk found changed, for the sync flows: the walk read it already (the event's body is the lead
     * as the search answered it), so no second call is made. Its name and e-mail are the standard fields.
     */
    public void storedLead(Exchange exchange, @ExchangeProperty(SyncFlows.EVENT) WebhookEvent event) throws IOException {
        JsonNode lead = json.readTree(event.body());
        JsonNode fields = lead.path("fields");
        exchange.setProperty(SourceLead.PROPERTY, new SourceLead(text(lead, "id", "lead_id"), event.phone(), event.stage(),
                text(fields, "name"), text(fields, "email"), null));
    }

    /** A lead's stage as TeleCRM answers it: {@code fields.status}, or (seen in client code) {@code status} beside. */
    static String stage(JsonNode lead) {
        JsonNode fields = lead.path("fields");
        return fields.isObject() && text(fields, "status") != null ? text(fields, "status") : text(lead, "status");
    }

    /** The search answer's first row, or null when it found none. */
    private JsonNode firstRow(Exchange exchange, String what) throws IOException {
        JsonNode answer;
        try {
            answer = CrmExchanges.answer(json, exchange, errors, what);
        } catch (CrmCallException e) {
            throw e.in(what);
        }
        JsonNode rows = answer.path("data");
        return rows.isArray() && rows.size() > 0 ? rows.get(0) : null;
    }

    /** POST lead/{id}/action for the actions of an update of a known lead. */
    public void actions(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        ObjectNode body = json.createObjectNode();
        body.set("actions", json.valueToTree(update.actions()));
        send(exchange, "/lead/" + encode(update.leadId()) + "/action", null, body);
    }

    public void readActions(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) throws IOException {
        JsonNode answer = CrmExchanges.answer(json, exchange, errors, "TeleCRM actions");
        collectDropped(exchange, answer, update.leadId(), Map.of(), update.actions());
    }

    /** IGNORED remarks go to the receipt; the fields and actions they name become the PARTIAL update. */
    private void collectDropped(Exchange exchange, JsonNode answer, String leadId, Map<String, Object> sentFields,
            List<LeadUpdate.Action> sentActions) {
        @SuppressWarnings("unchecked")
        List<Receipt.Remark> remarks = exchange.getProperty(LeadDelivery.REMARKS, List.class);
        Map<String, Object> droppedFields = new LinkedHashMap<>();
        for (JsonNode remark : CrmExchanges.array(answer, "remarks", WHAT)) {
            if (!"IGNORED".equals(text(remark, "status"))) {
                continue;
            }
            String field = text(remark, "field");
            remarks.add(new Receipt.Remark(field, "IGNORED", text(remark, "remark")));
            if (field != null && field.startsWith("fields.") && sentFields.containsKey(field.substring(7))) {
                droppedFields.put(field.substring(7), sentFields.get(field.substring(7)));
            }
        }
        List<LeadUpdate.Action> droppedActions = new ArrayList<>();
        JsonNode statuses = answer.path("actions");
        for (int i = 0; sentActions != null && i < sentActions.size() && i < statuses.size(); i++) {
            if ("IGNORED".equals(text(statuses.get(i), "status"))) {
                droppedActions.add(sentActions.get(i));
            }
        }
        if (!droppedFields.isEmpty() || !droppedActions.isEmpty()) {
            LeadUpdate previous = exchange.getProperty(LeadDelivery.DROPPED, LeadUpdate.class);
            Map<String, Object> fields = new LinkedHashMap<>(previous == null || previous.fields() == null ? Map.of() : previous.fields());
            fields.putAll(droppedFields);
            List<LeadUpdate.Action> actions = new ArrayList<>(previous == null || previous.actions() == null ? List.of() : previous.actions());
            actions.addAll(droppedActions);
            exchange.setProperty(LeadDelivery.DROPPED, new LeadUpdate(TelecrmPipeline.SOURCE, leadId, null, null, null,
                    null, null, null, fields.isEmpty() ? null : fields, actions.isEmpty() ? null : actions));
        }
    }

    private void send(Exchange exchange, String path, String query, Object body) {
        CrmExchanges.send(exchange, "POST", path, query, "Authorization", bearer(), body, json);
    }

    private String bearer() {
        return "Bearer " + config.telecrm().token().orElse("");
    }

    private static void put(Map<String, Object> fields, String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
