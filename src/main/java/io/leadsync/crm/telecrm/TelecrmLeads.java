package io.leadsync.crm.telecrm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.crm.CrmAnswer;
import io.leadsync.crm.CrmCallException;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.crm.MalformedAnswerException;
import io.leadsync.delivery.LeadDelivery;
import io.leadsync.delivery.ReadBeforeWrite;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

import static io.leadsync.crm.CrmExchanges.text;

/**
 * What routes/telecrm-leads.yaml cannot say about TeleCRM's Sync API: its credential, and reading its answers into the
 * delivery's outcome. The calls themselves (method, path, headers, the jq request mappings, the branches on the answer)
 * are the route file's. Whatever TeleCRM accepted but dropped (remarks with status IGNORED) is collected for the
 * receipt and for a PARTIAL dead letter that holds exactly what was dropped.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("telecrmLeads")
public class TelecrmLeads {

    /** Exchange variable: the request body a call sent, as its mapping made it. */
    public static final String REQUEST = "request";
    private static final String WHAT = "TeleCRM lead write";
    private static final String READ = "TeleCRM lead read before write";

    @Inject
    ObjectMapper json;

    @Inject
    TelecrmPipeline errors;

    /** The answer to POST lead: the new lead's id, and whatever TeleCRM dropped of the fields and actions sent. */
    // Exchange: it sets the lead's id and the part dropped (targetLeadId, dropped) and adds to the remarks, together.
    public void created(Exchange exchange, @Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @Variable(REQUEST) JsonNode request) throws IOException {
        JsonNode written = CrmExchanges.answer(json, answer, errors, WHAT);
        String leadId = text(written, "lead_id");
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID, leadId);
        collectDropped(exchange, written, leadId, request.path("fields"), request.path("actions"));
    }

    /** The answer to POST lead/{id}: whatever TeleCRM dropped of the fields sent. */
    // Exchange: it sets the lead's id and the part dropped (targetLeadId, dropped) and adds to the remarks, together.
    public void updated(Exchange exchange, @Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update, @Variable(REQUEST) JsonNode request)
            throws IOException {
        JsonNode written = CrmExchanges.answer(json, answer, errors, WHAT);
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID, update.leadId());
        collectDropped(exchange, written, update.leadId(), request.path("fields"), null);
    }

    /** The answer to POST lead/{id}/action: the actions TeleCRM dropped. */
    // Exchange: like created and updated, it adds to the remarks and to the part dropped (dropped), together.
    public void actionsAdded(Exchange exchange, @Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update, @Variable(REQUEST) JsonNode request)
            throws IOException {
        JsonNode written = CrmExchanges.answer(json, answer, errors, "TeleCRM actions");
        collectDropped(exchange, written, update.leadId(), null, request.path("actions"));
    }

    /**
     * Read before write ({@link ReadBeforeWrite}) by id, the answer to {@code GET lead/{id}}: the lead and its stage
     * ({@code fields.status}); no such lead (404 LEAD_NOT_FOUND) is null, and written as usual.
     */
    public ReadBeforeWrite.Found foundById(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) throws IOException {
        JsonNode lead;
        try {
            lead = CrmExchanges.answer(json, answer, errors, READ);
        } catch (CrmCallException e) {
            if (e.status() == 404 && e.getMessage().contains("LEAD_NOT_FOUND")) {
                return null;
            }
            throw e.in(READ);
        }
        if (!lead.path("fields").isObject()) {
            throw new MalformedAnswerException(READ + ": the answer to GET lead/" + update.leadId() + " has no 'fields' object");
        }
        return new ReadBeforeWrite.Found(update.leadId(), stage(lead));
    }

    /** Read before write by phone, the answer to the lead search: the found lead's id and stage, or null for none. */
    public ReadBeforeWrite.Found foundByPhone(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) throws IOException {
        JsonNode row = firstRow(answer, READ);
        String id = row == null ? null : text(row, "id", "lead_id");
        if (row != null && id == null) {
            throw new MalformedAnswerException(READ + ": the lead search found a lead for phone " + update.phone()
                    + " but gave no id");
        }
        return row == null ? null : new ReadBeforeWrite.Found(id, stage(row));
    }

    /** After a create's 409 LEAD_ALREADY_EXISTS, the search's answer: the update goes on as an update of that lead. */
    public LeadUpdate forExistingLead(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) throws IOException {
        JsonNode row = firstRow(answer, "TeleCRM lead search");
        String id = row == null ? null : text(row, "id", "lead_id");
        if (id == null) {
            throw new MalformedAnswerException("TeleCRM answered 409 LEAD_ALREADY_EXISTS for phone " + update.phone()
                    + " but its lead search returned no lead id to update");
        }
        return update.withLeadId(id);
    }

    /** A lead's stage as TeleCRM answers it: {@code fields.status}, or (seen in client code) {@code status} beside. */
    static String stage(JsonNode lead) {
        JsonNode fields = lead.path("fields");
        return fields.isObject() && text(fields, "status") != null ? text(fields, "status") : text(lead, "status");
    }

    /** The search answer's first row, or null when it found none. */
    private JsonNode firstRow(CrmAnswer answer, String what) throws IOException {
        JsonNode found;
        try {
            found = CrmExchanges.answer(json, answer, errors, what);
        } catch (CrmCallException e) {
            throw e.in(what);
        }
        JsonNode rows = found.path("data");
        return rows.isArray() && rows.size() > 0 ? rows.get(0) : null;
    }

    /**
     * IGNORED remarks go to the receipt; the fields and actions they name, as they were sent, become the PARTIAL update.
     * {@code fields.<name>} remarks name a field; TeleCRM answers each action's status in order.
     */
    private void collectDropped(Exchange exchange, JsonNode answer, String leadId, JsonNode sentFields, JsonNode sentActions) {
        @SuppressWarnings("unchecked")
        List<Receipt.Remark> remarks = exchange.getProperty(LeadDelivery.REMARKS, List.class);
        ObjectNode droppedFields = json.createObjectNode();
        for (JsonNode remark : CrmExchanges.array(answer, "remarks", WHAT)) {
            if (!"IGNORED".equals(text(remark, "status"))) {
                continue;
            }
            String field = text(remark, "field");
            remarks.add(new Receipt.Remark(field, "IGNORED", text(remark, "remark")));
            if (sentFields != null && field != null && field.startsWith("fields.") && sentFields.has(field.substring(7))) {
                droppedFields.set(field.substring(7), sentFields.get(field.substring(7)));
            }
        }
        List<LeadUpdate.Action> droppedActions = new ArrayList<>();
        JsonNode statuses = answer.path("actions");
        for (int i = 0; sentActions != null && i < sentActions.size() && i < statuses.size(); i++) {
            if ("IGNORED".equals(text(statuses.get(i), "status"))) {
                droppedActions.add(json.convertValue(sentActions.get(i), LeadUpdate.Action.class));
            }
        }
        if (!droppedFields.isEmpty() || !droppedActions.isEmpty()) {
            LeadUpdate previous = exchange.getProperty(LeadDelivery.DROPPED, LeadUpdate.class);
            Map<String, Object> fields = new LinkedHashMap<>(previous == null || previous.fields() == null ? Map.of() : previous.fields());
            fields.putAll(json.convertValue(droppedFields, new TypeReference<Map<String, Object>>() { }));
            List<LeadUpdate.Action> actions = new ArrayList<>(previous == null || previous.actions() == null ? List.of() : previous.actions());
            actions.addAll(droppedActions);
            exchange.setProperty(LeadDelivery.DROPPED, new LeadUpdate(TelecrmPipeline.SOURCE, leadId, null, null, null,
                    null, null, null, fields.isEmpty() ? null : fields, actions.isEmpty() ? null : actions));
        }
    }
}
