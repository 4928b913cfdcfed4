package io.leadsync.sync;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.delivery.Accepted;
import io.leadsync.delivery.StageMapping;
import io.leadsync.model.LeadUpdate;
import io.leadsync.storage.Store;
import io.leadsync.webhooks.WebhookEvent;

/**
 * No loops: when a flow writes a stage to CRM B, B reports the change back in its own webhook. That report is an
 * echo when a flow's update to B for the same phone, pending or delivered within {@code leadsync.sync.echo-window},
 * set that very stage (as mapped into B's vocabulary), B reported no change of its own since that write, and no later
 * write of leadsync's had overwritten it when B's lead was seen. The store's own record of those updates is the memory.
 * A CRM whose changes are found by walking its leads ({@link WalkedSource}, e.g. TeleCRM: a full walk every
 * {@code leadsync.sync.telecrm.full-interval}) has a window longer by its full walks' interval.
 */
@ApplicationScoped
public class Echoes {

    @Inject
    Store store;

    @Inject
    StageMapping mapping;

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Instance<WalkedSource> walked;

    private Optional<WalkedSource> walked(String source) {
        return walked.stream().filter(w -> w.source().equals(source)).findFirst();
    }

    /** Why the event is an echo of leadsync's own write, or empty when it is a change of its own. */
    Optional<String> of(WebhookEvent event) {
        // The lead key of an update with a phone and no lead id (io.leadsync.delivery.LeadStore#leadKey).
        String leadKey = event.source() + "|phone:" + event.phone().replaceAll("[^0-9]", "");
        java.time.Duration window = config.sync().echoWindow();
        Optional<WalkedSource> walk = walked(event.source());
        if (walk.isPresent()) {
            window = window.plus(walk.get().fullInterval()); // a walk of every lead may see the write that late
        }
        long windowStart = event.receivedAt().minus(window).toEpochMilli();
        return store.query(c -> {
            // A write the source has moved on from (a change of its own was carried since) is echoed no more: the same
            // stage reported after that is the rep's own change back (Won, Qualified, Won).
            long since = windowStart;
            try (PreparedStatement carried = c.prepareStatement("select max(received_at) from webhook_event"
                    + " where source = ? and phone = ? and status = 'CARRIED'")) {
                carried.setString(1, event.source());
                carried.setString(2, event.phone());
                try (ResultSet rows = carried.executeQuery()) {
                    if (rows.next() && rows.getLong(1) > since) {
                        since = rows.getLong(1) + 1;
                    }
                }
            }
            // What the source shows because of leadsync: the stage of its latest write delivered before the lead was
            // seen (a webhook's lead is read when it is carried; a walked CRM's when its walk saw it), and of every write
            // delivered since or still pending. An older write's stage seen now is a change back, not an echo.
            long seen = walk.isPresent() ? event.eventTime().toEpochMilli()
                    : System.currentTimeMillis();
            try (PreparedStatement select = c.prepareStatement("select id, body, status, updated_at from lead_update"
                    + " where lead_key = ? and updated_at >= ? and origin like '" + Accepted.SYNC_FLOW + "%'"
                    // Only writes can echo: a SKIPPED update (the target had the stage already) wrote nothing.
                    + " and status in ('PENDING', 'DELIVERED') order by seq desc limit 20")) {
                select.setString(1, leadKey);
                select.setLong(2, since);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        boolean before = rows.getString("status").equals("DELIVERED") && rows.getLong("updated_at") <= seen;
                        String written = writtenStage(rows.getString("body"));
                        if (event.stage().equalsIgnoreCase(written)) {
                            return Optional.of("leadsync wrote stage '" + written + "' to " + event.source()
                                    + " for this lead in update " + rows.getString("id") + " (at "
                                    + Instant.ofEpochMilli(rows.getLong("updated_at")) + "): not carried back");
                        }
                        if (before) {
                            break; // the latest write the source had when the lead was seen: older ones were overwritten
                        }
                    }
                }
            }
            return Optional.<String>empty();
        });
    }

    /** The stage an update sets in its target's vocabulary; null when it cannot be mapped (then it wrote none). */
    private String writtenStage(String body) {
        try {
            LeadUpdate update = json.readValue(body, LeadUpdate.class);
            return mapping.check(update).stage();
        } catch (JsonProcessingException | RuntimeException unmappable) {
            return null;
        }
    }
}
