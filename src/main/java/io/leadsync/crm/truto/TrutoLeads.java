package io.leadsync.crm.truto;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.crm.CrmAnswer;
import io.leadsync.crm.CrmCallException;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.model.SourceLead;
import io.leadsync.sync.SyncFlows;
import io.leadsync.webhooks.WebhookEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

/**
 * What routes/truto-leads.yaml cannot say about Truto's unified leads: the token, and reading the answers (a written
 * lead's id; the lead a sync flow's read found). The calls, their {@code Idempotency-Key} (from the update id, so a
 * retried write is never applied twice) and the request mappings are the route file's.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("trutoLeads")
public class TrutoLeads {

    private static final String SOURCE_READ = "Truto lead read for a sync flow";

    @Inject
    ObjectMapper json;

    @Inject
    TrutoStagePages errors;

    /**
     * The lead as Truto's Unified API answers it now (the event's record or snapshot was only a hint), which the route's
     * mapping truto-lead-source reads. A 404 means there is no such lead to carry, and then null ({@link #missing} says
     * why).
     */
    public JsonNode foundForFlow(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer) throws IOException {
        try {
            return CrmExchanges.answer(json, answer, errors, SOURCE_READ);
        } catch (CrmCallException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e.in(SOURCE_READ);
        }
    }

    /** Why a sync flow has nothing to carry when Truto has no such lead. */
    public SourceLead missing(@ExchangeProperty(SyncFlows.EVENT) WebhookEvent event) {
        return SourceLead.missing("Truto has no lead " + event.leadId() + " in integrated account "
                + event.source().substring("truto:".length()) + " (HTTP 404): nothing to carry");
    }

    /** The answer to a create or an update: the lead's id. */
    public String writtenLeadId(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer) throws IOException {
        return CrmExchanges.text(CrmExchanges.answer(json, answer, errors, "Truto lead write"), "id");
    }
}
