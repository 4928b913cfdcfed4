package io.leadsync.superfone;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.delivery.LeadDelivery;
import io.leadsync.model.LeadUpdate;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Superfone's upsert by primary phone ({@code POST enterprise/api/lead}): the stage goes by its title
 * ({@code lead_stage_name}), the name splits into first and last, {@code fields} pass through.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("superfoneLeads")
public class SuperfoneLeads {

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    SuperfoneStagePages errors;

    public void request(Exchange exchange, @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        ObjectNode body = json.createObjectNode();
        if (update.fields() != null) {
            body.setAll(json.<ObjectNode>valueToTree(update.fields()));
        }
        body.put("customer_phone", update.phone().startsWith("+") ? update.phone() : "+" + update.phone());
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

    /** Superfone does not document its upsert answer; its lead id is kept when it gives one. */
    public void read(Exchange exchange) throws IOException {
        String id = CrmExchanges.text(CrmExchanges.answer(json, exchange, errors, "Superfone upsert").path("data"), "id");
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID, id);
    }
}
