package io.leadsync.truto;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmCallException;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.delivery.Accepted;
import io.leadsync.delivery.LeadDelivery;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.SourceLead;
import io.leadsync.sync.SyncFlows;
import io.leadsync.webhooks.PhoneNumbers;
import io.leadsync.webhooks.WebhookEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Truto's unified leads: {@code POST unified/crm/leads} to create, {@code PATCH unified/crm/leads/{id}}
 * to update, always with the integrated account and an {@code Idempotency-Key} derived from the
 * update id, so a retried write is never applied twice.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("trutoLeads")
public class TrutoLeads {

    private static final String SOURCE_READ = "Truto lead read for a sync flow";

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    TrutoStagePages errors;

    /** The integrated account of a "truto:&lt;account&gt;" target, for the route's throttle. */
    public String account(@ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        return update.target().substring("truto:".length());
    }

    public void request(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update,
            @ExchangeProperty(LeadDelivery.ACCEPTED) Accepted accepted) {
        ObjectNode body = json.createObjectNode();
        if (update.fields() != null) {
            body.setAll(json.<ObjectNode>valueToTree(update.fields()));
        }
        if (update.firstName() != null) {
            body.put("first_name", update.firstName());
        }
        if (update.lastName() != null) {
            body.put("last_name", update.lastName());
        }
        if (update.email() != null) {
            body.putArray("email_addresses").addObject().put("email", update.email());
        }
        if (update.phone() != null) {
            body.putArray("phone_numbers").addObject().put("number", update.phone());
        }
        if (update.stage() != null) {
            body.put("status", update.stage());
        }
        boolean create = update.leadId() == null;
        CrmExchanges.send(exchange, create ? "POST" : "PATCH", create ? null : "/" + encode(update.leadId()),
                "integrated_account_id=" + URLEncoder.encode(account(update), StandardCharsets.UTF_8),
                "Authorization", "Bearer " + config.truto().token().orElse(""), body, json);
        exchange.getMessage().setHeader("Idempotency-Key", "leadsync-" + accepted.id());
    }

    /** The integrated account of a "truto:&lt;account&gt;" source, for the throttle of a sync flow's read. */
    public String sourceAccount(@ExchangeProperty(SyncFlows.EVENT) WebhookEvent event) {
        return event.source().substring("truto:".length());
    }

    /** A sync flow's read of the lead a Truto event named: GET unified/crm/leads/{id}?integrated_account_id=. */
    public void findSource(Exchange exchange, @ExchangeProperty(SyncFlows.EVENT) WebhookEvent event) {
        CrmExchanges.get(exchange, "Authorization", "Bearer " + config.truto().token().orElse(""),
                "integrated_account_id=" + URLEncoder.encode(sourceAccount(event), StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/" + encode(event.leadId()));
    }

    /**
     * The lead as Truto's Unified API answers it now (the event's record or snapshot was only a hint): {@code status}
     * its stage, the first of {@code phone_numbers[].number} and {@code email_addresses[].email}, first and last name.
     * A 404 means there is no such lead to carry.
     */
    public void readSource(Exchange exchange, @ExchangeProperty(SyncFlows.EVENT) WebhookEvent event) throws IOException {
        JsonNode lead;
        try {
            lead = CrmExchanges.answer(json, exchange, errors, SOURCE_READ);
        } catch (CrmCallException e) {
            if (e.status() == 404) {
                exchange.setProperty(SourceLead.PROPERTY, SourceLead.missing("Truto has no lead " + event.leadId()
                        + " in integrated account " + sourceAccount(event) + " (HTTP 404): nothing to carry"));
                return;
            }
            throw e.in(SOURCE_READ);
        }
        String phone = null;
        for (JsonNode number : lead.path("phone_numbers")) {
            phone = phone != null ? phone : PhoneNumbers.e164(CrmExchanges.text(number, "number"));
        }
        String email = null;
        for (JsonNode address : lead.path("email_addresses")) {
            email = email != null ? email : CrmExchanges.text(address, "email");
        }
        exchange.setProperty(SourceLead.PROPERTY, new SourceLead(event.leadId(), phone, CrmExchanges.text(lead, "status"),
                SourceLead.name(CrmExchanges.text(lead, "first_name"), CrmExchanges.text(lead, "last_name")), email, null));
    }

    public void read(Exchange exchange) throws IOException {
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID,
                CrmExchanges.text(CrmExchanges.answer(json, exchange, errors, "Truto lead write"), "id"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
