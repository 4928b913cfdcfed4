package io.leadsync.superfone;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

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
import io.leadsync.model.SourceLead;
import io.leadsync.sync.SyncFlows;
import io.leadsync.webhooks.PhoneNumbers;
import io.leadsync.webhooks.WebhookEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Superfone's upsert by primary phone ({@code POST enterprise/api/lead}): the stage goes by its title
 * ({@code lead_stage_name}), the name splits into first and last, {@code fields} pass through. A sync flow's stage
 * reads the lead by phone first ({@code GET enterprise/api/lead?phone=}): see {@link ReadBeforeWrite}.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("superfoneLeads")
public class SuperfoneLeads {

    private static final String READ = "Superfone lead read before write";
    private static final String SOURCE_READ = "Superfone lead read for a sync flow";
    /** Superfone's words for a phone it has no lead for (its errors carry a message, no code). */
    private static final Pattern NOT_FOUND = Pattern.compile("(customer|lead) not found", Pattern.CASE_INSENSITIVE);

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    SuperfoneStagePages errors;

    @Inject
    ReadBeforeWrite readBeforeWrite;

    public void request(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        ObjectNode body = json.createObjectNode();
        if (update.fields() != null) {
            body.setAll(json.<ObjectNode>valueToTree(update.fields()));
        }
        body.put("customer_phone", customerPhone(update));
        body.put("create_customer_if_customer_phone_not_found", config.superfone().createCustomers());
        if (update.stage() != null) {
            body.put("lead_stage_name", update.stage());
        }
        if (update.firstName() != null) {
            body.put("first_name", update.firstName());
        }
        if (update.lastName() != null) {
            body.put("last_name", update.lastName());
        }
        if (update.email() != null) {
            body.putArray("email").add(update.email());
        }
        CrmExchanges.send(exchange, "POST", null, null, "x-api-key", config.superfone().apiKey().orElse(""), body, json);
    }

    /** Read before write ({@link ReadBeforeWrite}): GET enterprise/api/lead?phone=, Superfone's only look-up of a lead. */
    public void find(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        get(exchange, customerPhone(update));
    }

    /** A sync flow's read of the lead Superfone notified a change of (routes/sync-flows.yaml), by its phone. */
    public void findSource(Exchange exchange, @ExchangeProperty(SyncFlows.EVENT) WebhookEvent event) {
        get(exchange, event.phone());
    }

    /** The lead's stage ({@code data.lead_stage.title}) for {@link ReadBeforeWrite}; no such lead is created as usual. */
    public void readFound(Exchange exchange) throws IOException {
        JsonNode lead = lead(exchange, READ);
        readBeforeWrite.found(exchange, SuperfoneStagePages.SOURCE, lead == null ? null : CrmExchanges.text(lead, "id"),
                lead == null ? null : CrmExchanges.text(lead.path("lead_stage"), "title"));
    }

    /** The lead as Superfone shows it now, for the sync flows: its stage, first phone, name and first e-mail. */
    public void readSource(Exchange exchange, @ExchangeProperty(SyncFlows.EVENT) WebhookEvent event) throws IOException {
        JsonNode lead = lead(exchange, SOURCE_READ);
        if (lead == null) {
            exchange.setProperty(SourceLead.PROPERTY, SourceLead.missing("Superfone has no lead with phone " + event.phone()
                    + " (GET enterprise/api/lead?phone=): nothing to carry"));
            return;
        }
        JsonNode email = lead.path("email");
        exchange.setProperty(SourceLead.PROPERTY, new SourceLead(CrmExchanges.text(lead, "id"),
                PhoneNumbers.e164(CrmExchanges.text(lead.path("phones").path(0), "phone")),
                CrmExchanges.text(lead.path("lead_stage"), "title"),
                SourceLead.name(CrmExchanges.text(lead, "first_name"), CrmExchanges.text(lead, "last_name")),
                email.path(0).isTextual() ? email.get(0).asText() : CrmExchanges.text(lead, "email"), null));
    }

    /**
     * The lead a GET by phone answered, or null when there is none. Superfone documents no answer for an unknown phone:
     * its upsert's 400 "Customer not found" (what the sandbox answers), a 404 or an empty {@code data} all mean none.
     */
    private JsonNode lead(Exchange exchange, String what) throws IOException {
        JsonNode data;
        try {
            data = CrmExchanges.answer(json, exchange, errors, what).path("data");
        } catch (CrmCallException e) {
            if (e.status() == 404 || e.status() == 400 && NOT_FOUND.matcher(e.getMessage()).find()) {
                return null;
            }
            throw e.in(what);
        }
        if (data.isMissingNode() || data.isNull() || data.isObject() && data.isEmpty()) {
            return null;
        }
        if (!data.isObject() || CrmExchanges.text(data, "id") == null) {
            throw new MalformedAnswerException(what + ": 'data' is not a lead with an 'id'");
        }
        return data;
    }

    private void get(Exchange exchange, String phone) {
        CrmExchanges.get(exchange, "x-api-key", config.superfone().apiKey().orElse(""),
                "phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8));
    }

    /** Superfone does not document its upsert answer; its lead id is kept when it gives one. */
    public void read(Exchange exchange) throws IOException {
        String id = CrmExchanges.text(CrmExchanges.answer(json, exchange, errors, "Superfone upsert").path("data"), "id");
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID, id);
    }

    /** The phone as Superfone takes it: E.164, with its plus. */
    private static String customerPhone(LeadUpdate update) {
        return update.phone().startsWith("+") ? update.phone() : "+" + update.phone();
    }
}
