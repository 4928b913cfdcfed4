package io.leadsync.crm.superfone;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.crm.CrmAnswer;
import io.leadsync.crm.CrmCallException;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.crm.MalformedAnswerException;
import io.leadsync.delivery.ReadBeforeWrite;
import io.leadsync.model.SourceLead;
import io.leadsync.sync.SyncFlows;
import io.leadsync.webhooks.WebhookEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

/**
 * What routes/superfone-leads.yaml cannot say about Superfone's lead API: its key, and reading its answers (the upsert's
 * lead id; the lead a read by phone found, for {@link ReadBeforeWrite} or a sync flow). The calls and their request
 * mapping are the route file's.
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
    ObjectMapper json;

    @Inject
    SuperfoneStagePages errors;

    /**
     * For {@link ReadBeforeWrite}, the lead with the update's phone: its id and stage ({@code data.lead_stage.title}); no
     * such lead is null, and created as usual.
     */
    public ReadBeforeWrite.Found foundForUpdate(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer) throws IOException {
        JsonNode lead = lead(answer, READ);
        return lead == null ? null : new ReadBeforeWrite.Found(CrmExchanges.text(lead, "id"),
                CrmExchanges.text(lead.path("lead_stage"), "title"));
    }

    /**
     * The lead as Superfone shows it now, for a sync flow (its {@code data}), which the route's mapping
     * superfone-lead-source reads; no such lead is nothing to carry, and then null ({@link #missing} says why).
     */
    public JsonNode foundForFlow(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer) throws IOException {
        return lead(answer, SOURCE_READ);
    }

    /** Why a sync flow has nothing to carry when Superfone has no lead with the event's phone. */
    public SourceLead missing(@ExchangeProperty(SyncFlows.EVENT) WebhookEvent event) {
        return SourceLead.missing("Superfone has no lead with phone " + event.phone()
                + " (GET enterprise/api/lead?phone=): nothing to carry");
    }

    /**
     * The lead a GET by phone answered, or null when there is none. Superfone documents no answer for an unknown phone:
     * its upsert's 400 "Customer not found" (what the sandbox answers), a 404 or an empty {@code data} all mean none.
     */
    private JsonNode lead(CrmAnswer answer, String what) throws IOException {
        JsonNode data;
        try {
            data = CrmExchanges.answer(json, answer, errors, what).path("data");
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

    /** Superfone does not document its upsert answer; its lead id is kept when it gives one. */
    public String upsertedLeadId(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer) throws IOException {
        return CrmExchanges.text(CrmExchanges.answer(json, answer, errors, "Superfone upsert").path("data"), "id");
    }
}
