package io.leadsync.crm.telecrm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmErrorReader;
import io.leadsync.crm.CrmFailures;
import io.leadsync.paging.PageWalk;
import io.leadsync.storage.Store;
import io.leadsync.sync.SyncFlows;
import io.leadsync.crm.telecrm.TelecrmLeadExport.Row;
import io.leadsync.webhooks.PhoneNumbers;
import io.leadsync.webhooks.WebhookEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import static io.leadsync.crm.CrmExchanges.text;

/**
 * The steps of routes/telecrm-changes.yaml. TeleCRM sends no webhooks and its lead search cannot filter by update
 * time (only by fields such as {@code created_on}), so its stage changes are found by walking its leads with the
 * ETL's walk (direct:telecrm-lead-page) and comparing each lead's stage with the last one seen (table
 * {@code telecrm_stage_seen}): leads created since the last walk every {@code leadsync.sync.telecrm.interval}, every
 * lead every {@code leadsync.sync.telecrm.full-interval}. A different stage becomes a webhook event of source
 * {@code telecrm}, stored in the transaction that records the stage, which the sync flows then carry. The first walk
 * of every lead only records stages: before it, every lead would look changed.
 */
@ApplicationScoped
@RegisterForReflection // the route calls its methods by name
@Named("telecrmChanges")
public class TelecrmChanges {

    public static final String SOURCE = TelecrmPipeline.SOURCE;
    /** The exchange property that carries the pass through the route. */
    static final String PROPERTY = "telecrmPass";
    private static final Logger LOG = Logger.getLogger(TelecrmChanges.class);
    private static final String FULL = "full";
    private static final String CREATED_ON = "created_on";

    @Inject
    LeadsyncConfig config;

    @Inject
    TelecrmConfig telecrm;

    @Inject
    Store store;

    @Inject
    WebhookEvents events;

    @Inject
    SyncFlows flows;

    @Inject
    CrmFailures failures;

    @Inject
    MeterRegistry registry;

    /** One walk: every lead (full) or those created from {@code createdFrom} on; what it found so far. */
    @RegisterForReflection
    public static final class Pass {
        final boolean full;
        final boolean baseline;
        final Long createdFrom;
        final Instant startedAt = Instant.now();
        long newestCreated = Long.MIN_VALUE;
        long leads;
        long changes;

        Pass(boolean full, boolean baseline, Long createdFrom) {
            this.full = full;
            this.baseline = baseline;
            this.createdFrom = createdFrom;
        }

        String name() {
            return baseline ? "first walk of every TeleCRM lead (records stages, reports no change)"
                    : full ? "walk of every TeleCRM lead" : "walk of the TeleCRM leads created since " + Instant.ofEpochMilli(createdFrom);
        }
    }

    /** Whether TeleCRM's leads are walked: TeleCRM is enabled, and a flow starts there or the watch switch is on. */
    public boolean active() {
        return telecrm.telecrm().enabled() && config.intake().enabled()
                && (telecrm.sync().telecrm().watch() || flows.flows().stream().anyMatch(f -> f.source().equals(SOURCE)));
    }

    /** A full walk when one is due (or none ever finished), else a walk of the new leads; null when inactive. */
    public Pass nextPass() {
        if (!active()) {
            return null;
        }
        Optional<Long> lastFull = state(FULL);
        Optional<Long> created = state(CREATED_ON);
        boolean full = lastFull.isEmpty() || created.isEmpty()
                || Instant.ofEpochMilli(lastFull.get()).plus(TelecrmWalks.fullInterval(telecrm))
                        .isBefore(Instant.now().plusMillis(1));
        return new Pass(full, lastFull.isEmpty(), full ? null : created.get());
    }

    /** Where the pass's walk starts (property telecrmCreatedFrom): leads created since the last walk; null, every lead. */
    public Long createdFrom(@ExchangeProperty(PROPERTY) Pass pass) {
        return pass.createdFrom;
    }

    /** One page of leads, in one transaction: the stages that differ from the last seen, and their events. */
    public void page(List<Row> rows, @ExchangeProperty(PROPERTY) Pass pass) {
        Instant seen = pass.startedAt;
        int[] changed = {0};
        store.write(c -> {
            changed[0] = 0;
            for (Row row : rows) {
                if (lead(c, row, pass, seen)) {
                    changed[0]++;
                }
            }
            return null;
        });
        pass.leads += rows.size();
        pass.changes += changed[0];
        for (Row row : rows) {
            JsonNode created = row.lead().path("fields").path(CREATED_ON);
            if (created.canConvertToLong()) {
                pass.newestCreated = Math.max(pass.newestCreated, created.asLong());
            }
        }
    }

    /** Records the lead's stage when it changed; answers whether a change was reported. */
    private boolean lead(Connection c, Row row, Pass pass, Instant seen) throws SQLException {
        JsonNode lead = row.lead();
        String id = lead.isObject() ? text(lead, "id", "lead_id") : null;
        JsonNode fields = lead.path("fields");
        String stage = TelecrmLeads.stage(lead);
        String where = "TeleCRM lead search, lead " + (row.position() + 1) + (id != null ? " (id " + id + ")" : "");
        if (id == null || stage == null) {
            skipped(where, (id == null ? "has no 'id'" : "has no 'fields.status'") + ": "
                    + CrmErrorReader.excerpt(lead.toString()));
            return false;
        }
        String before = seenStage(c, id);
        if (stage.equals(before)) {
            return false;
        }
        try (PreparedStatement upsert = c.prepareStatement("insert into telecrm_stage_seen (lead_id, stage, seen_at)"
                + " values (?, ?, ?) on conflict (lead_id) do update set stage = excluded.stage, seen_at = excluded.seen_at")) {
            upsert.setString(1, id);
            upsert.setString(2, stage);
            upsert.setLong(3, seen.toEpochMilli());
            upsert.executeUpdate();
        }
        if (pass.baseline) {
            return false;
        }
        String phone = PhoneNumbers.e164(text(fields, "phone"));
        if (phone == null) {
            // Its stage is recorded all the same: the same lead is not reported again at every walk.
            skipped(where, "stage changed to '" + stage + "' but 'fields.phone' is not a phone number with its country"
                    + " code (" + (text(fields, "phone") == null ? "none" : "'" + text(fields, "phone") + "'") + "): not carried");
            return false;
        }
        // TeleCRM gives no time of change: the walk's own start stands for it.
        String eventId = "lead " + id + " stage " + stage + " seen " + seen.toEpochMilli();
        return events.storeIn(c, SOURCE, eventId, before == null ? "lead created" : "stage changed", phone, stage, seen,
                lead.toString());
    }

    /** Records how far the walk got once it read its last page. */
    public void finish(@ExchangeProperty(PROPERTY) Pass pass, @ExchangeProperty(PageWalk.PROPERTY) PageWalk pages) {
        store.write(c -> {
            if (pass.newestCreated != Long.MIN_VALUE) {
                long from = pass.createdFrom == null ? Long.MIN_VALUE : pass.createdFrom;
                setState(c, CREATED_ON, Math.max(from, pass.newestCreated), true);
            } else if (pass.full) {
                setState(c, CREATED_ON, pass.startedAt.toEpochMilli(), true); // no lead yet: new ones come after now
            }
            if (pass.full) {
                setState(c, FULL, pass.startedAt.toEpochMilli(), false);
            }
            return null;
        });
        registry.counter("leadsync.telecrm.walks", "pass", pass.full ? "full" : "new", "outcome", "done").increment();
        String message = "TeleCRM changes: %s read %d leads in %d pages, %d stage changes";
        if (pass.full || pass.changes > 0) {
            LOG.infof(message, pass.name(), pass.leads, pages.pages(), pass.changes);
        } else {
            LOG.debugf(message, pass.name(), pass.leads, pages.pages(), pass.changes);
        }
    }

    /** A walk that failed (TeleCRM down, a bad answer): the pages done are kept, the next run walks again. */
    public void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e,
            @ExchangeProperty(PROPERTY) Pass pass) {
        registry.counter("leadsync.telecrm.walks", "pass", pass.full ? "full" : "new", "outcome", "failed").increment();
        LOG.warnf("TeleCRM changes: the %s failed after %d leads (their %d changes kept), walked again at the next tick"
                + " (leadsync.sync.telecrm.interval=%s): %s", pass.name(), pass.leads, pass.changes,
                telecrm.sync().telecrm().interval(), failures.reason(e, SOURCE));
    }

    private void skipped(String where, String problem) {
        registry.counter("leadsync.telecrm.skipped").increment();
        LOG.warnf("TeleCRM changes: %s %s", where, problem);
    }

    private static String seenStage(Connection c, String id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("select stage from telecrm_stage_seen where lead_id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private Optional<Long> state(String name) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select value from telecrm_walk where name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    private static void setState(Connection c, String name, long value, boolean onlyForward) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("insert into telecrm_walk (name, value) values (?, ?)"
                + " on conflict (name) do update set value = excluded.value"
                + (onlyForward ? " where telecrm_walk.value < excluded.value" : ""))) {
            upsert.setString(1, name);
            upsert.setLong(2, value);
            upsert.executeUpdate();
        }
    }
}
