package io.leadsync.truto;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.delivery.Accepted;
import io.leadsync.delivery.LeadDelivery;
import io.leadsync.model.LeadUpdate;
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
        CrmExchanges.send(exchange, create ? "POST" : "PATCH",
                create ? null : "/" + URLEncoder.encode(update.leadId(), StandardCharsets.UTF_8).replace("+", "%20"),
                "integrated_account_id=" + URLEncoder.encode(account(update), StandardCharsets.UTF_8),
                "Authorization", "Bearer " + config.truto().token().orElse(""), body, json);
        exchange.getMessage().setHeader("Idempotency-Key", "leadsync-" + accepted.id());
    }

    public void read(Exchange exchange) throws IOException {
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID,
                CrmExchanges.text(CrmExchanges.answer(json, exchange, errors, "Truto lead write"), "id"));
    }
}
