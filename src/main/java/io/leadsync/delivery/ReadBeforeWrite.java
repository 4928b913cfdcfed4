package io.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * The "No loops" rule of the sync flows: a write that would not change the target is not made. A flow's update that
 * sets only a stage first reads the target lead (each CRM's route, routes/&lt;crm&gt;-leads.yaml, makes the call and
 * hands the lead's stage to {@link #found}); when that stage is already the update's, the update is marked
 * {@link LeadDelivery#UNCHANGED} and the delivery route ends it SKIPPED instead of writing. A lead that is not
 * found is written as usual; a read that fails fails the delivery like a failed write.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("readBeforeWrite")
public class ReadBeforeWrite {

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
     * What the read found: the lead's id in {@code crm} and its current stage, or a null id for no such lead (created
     * with the name and e-mail the flow carried). A found lead is written its stage only, never its name again; the
     * same stage (case aside: the target's own vocabulary, already mapped) marks the update UNCHANGED.
     */
    public void found(Exchange exchange, String crm, String leadId, String currentStage) {
        exchange.removeProperty(LeadDelivery.UNCHANGED);
        if (leadId == null) {
            return;
        }
        exchange.setProperty(LeadDelivery.TARGET_LEAD_ID, leadId);
        LeadUpdate update = exchange.getProperty(LeadDelivery.UPDATE, LeadUpdate.class).stageOnly();
        exchange.setProperty(LeadDelivery.UPDATE, update);
        String stage = update.stage();
        if (currentStage != null && currentStage.equalsIgnoreCase(stage)) {
            exchange.setProperty(LeadDelivery.UNCHANGED, new Receipt.Remark("stage", "UNCHANGED", "not written: " + crm
                    + " lead " + leadId + " already has stage '" + currentStage + "' (read before write)"));
        }
    }
}
