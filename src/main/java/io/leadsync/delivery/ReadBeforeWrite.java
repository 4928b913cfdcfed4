package io.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

/**
 * The "No loops" rule of the sync flows: a write that would not change the target is not made. A flow's update that
 * sets only a stage first reads the target lead (each CRM's route, routes/&lt;crm&gt;-leads.yaml, makes the call, leaves
 * what it found in variable {@code found} and calls {@link #found}); when that stage is already the update's, the
 * update is marked {@link LeadDelivery#UNCHANGED} and the delivery route ends it SKIPPED instead of writing. A lead that
 * is not found is written as usual; a read that fails fails the delivery like a failed write.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("readBeforeWrite")
public class ReadBeforeWrite {

    /** The exchange variable a CRM's read leaves its {@link Found} in: null when there is no such lead. */
    public static final String FOUND = "found";

    /** The lead a read found in the target: its id there and its stage (the target's own vocabulary). */
    @RegisterForReflection
    public record Found(String leadId, String stage) {
    }

    /**
     * A sync flow's update of a stage (with the lead's name and e-mail for a new lead): only such a write can be judged
     * from the stage alone. (Updates from POST /leads or files are written as sent: their sender may mean the write.)
     */
    public boolean applies(@ExchangeProperty(LeadDelivery.ACCEPTED) Accepted accepted,
            @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        return accepted != null && accepted.fromSyncFlow() && update != null && update.stage() != null
                && update.lostReason() == null && (update.fields() == null || update.fields().isEmpty())
                && (update.actions() == null || update.actions().isEmpty());
    }

    /**
     * What the read found: the lead in the update's target, or null for no such lead (created with the name and e-mail
     * the flow carried). A found lead is the one written (its id in the update and property targetLeadId), its stage
     * only, never its name again; the same stage (case aside: the target's own vocabulary, already mapped) marks the
     * update UNCHANGED.
     */
    // Exchange: the judgement sets three properties at once (targetLeadId, update, unchanged), or clears unchanged.
    public void found(Exchange exchange, @Variable(FOUND) Found found,
            @ExchangeProperty(LeadDelivery.UPDATE) LeadUpdate update) {
        exchange.removeProperty(LeadDelivery.UNCHANGED);
        if (found == null) {
            return;
        }
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID, found.leadId());
        LeadUpdate stageOnly = update.withLeadId(found.leadId()).stageOnly();
        exchange.setProperty(LeadDelivery.UPDATE, stageOnly);
        if (found.stage() != null && found.stage().equalsIgnoreCase(stageOnly.stage())) {
            exchange.setProperty(LeadDelivery.UNCHANGED, new Receipt.Remark("stage", "UNCHANGED", "not written: "
                    + update.target() + " lead " + found.leadId() + " already has stage '" + found.stage()
                    + "' (read before write)"));
        }
    }
}
