package io.leadsync.webhooks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.storage.Store;
import io.leadsync.storage.TimeOrderedIds;

/**
 * The {@code webhook_event} table of the {@link Store}: events are written (group-committed) before the webhook is
 * answered, once per (source, event id), and read back, oldest by their sender's time first, by the sync flows.
 */
@ApplicationScoped
public class WebhookEvents {

    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
    private static final String COLUMNS = "id, source, event_id, event_type, phone, stage, lead_id, event_time, received_at,"
            + " status, outcome, body";

    @Inject
    Store store;

    @Inject
    LeadsyncConfig config;

    /** What a store did with an event: its id, and whether this delivery is a repeat of one stored already. */
    public record Stored(String id, boolean duplicate) {
    }

    /**
     * Stores the event, committed when this returns: PENDING for the sync flows, or IGNORED with its reason. The same
     * (source, event id) again within {@code leadsync.webhooks.max-age} is a repeat: nothing is written and the first
     * one's id comes back. An event identified by its body (Superfone's, which have no id) is a repeat only of the
     * lead's latest event from that source: the same body after another change (Won, Lost, Won again) is a new change.
     */
    Stored store(Incoming incoming, String body) {
        String id = TimeOrderedIds.next();
        Instant now = Instant.now();
        long cutoff = now.minus(config.webhooks().maxAge()).toEpochMilli();
        return store.write(c -> {
            String eventId = incoming.eventId();
            if (incoming.identifiedByBody()) {
                try (PreparedStatement latest = c.prepareStatement("select id, event_id, received_at from webhook_event"
                        + " where source = ? and phone = ? order by seq desc limit 1")) {
                    latest.setString(1, incoming.source());
                    latest.setString(2, incoming.phone());
                    try (ResultSet rows = latest.executeQuery()) {
                        if (rows.next()) {
                            if (rows.getString("event_id").startsWith(eventId) && rows.getLong("received_at") >= cutoff) {
                                return new Stored(rows.getString("id"), true);
                            }
                            eventId = eventId + " after " + rows.getString("id");
                        }
                    }
                }
            }
            // A later repeat of the same event id (past max-age) is a new change.
            try (PreparedStatement insert = c.prepareStatement("insert into webhook_event (" + COLUMNS + ")"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (source, event_id) do update set id = excluded.id, event_type = excluded.event_type,"
                    + " phone = excluded.phone, stage = excluded.stage, lead_id = excluded.lead_id,"
                    + " event_time = excluded.event_time, received_at = excluded.received_at, status = excluded.status,"
                    + " outcome = excluded.outcome, body = excluded.body where webhook_event.received_at < ? returning id")) {
                int i = 0;
                insert.setString(++i, id);
                insert.setString(++i, incoming.source());
                insert.setString(++i, eventId);
                insert.setString(++i, incoming.type());
                insert.setString(++i, incoming.phone());
                insert.setString(++i, incoming.stage());
                insert.setString(++i, incoming.leadId());
                insert.setLong(++i, incoming.eventTime().toEpochMilli());
                insert.setLong(++i, now.toEpochMilli());
                insert.setString(++i, incoming.ignored() == null ? "PENDING" : "IGNORED");
                insert.setString(++i, incoming.ignored());
                insert.setString(++i, body);
                insert.setLong(++i, cutoff);
                try (ResultSet rows = insert.executeQuery()) {
                    if (rows.next()) {
                        return new Stored(rows.getString(1), false);
                    }
                }
            }
            try (PreparedStatement first = c.prepareStatement("select id from webhook_event where source = ? and event_id = ?")) {
                first.setString(1, incoming.source());
                first.setString(2, eventId);
                try (ResultSet rows = first.executeQuery()) {
                    rows.next();
                    return new Stored(rows.getString(1), true);
                }
            }
        });
    }

    /**
     * Stores a change leadsync found itself (TeleCRM's walk) inside the caller's transaction, so it commits with
     * whatever recorded it; the same (source, event id) again is not stored twice. Answers whether it was stored.
     */
    public boolean storeIn(Connection c, String source, String eventId, String type, String phone, String stage,
            Instant eventTime, String body) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into webhook_event (" + COLUMNS + ")"
                + " values (?, ?, ?, ?, ?, ?, null, ?, ?, 'PENDING', null, ?) on conflict (source, event_id) do nothing")) {
            int i = 0;
            insert.setString(++i, TimeOrderedIds.next());
            insert.setString(++i, source);
            insert.setString(++i, eventId);
            insert.setString(++i, type);
            insert.setString(++i, phone);
            insert.setString(++i, stage);
            insert.setLong(++i, eventTime.toEpochMilli());
            insert.setLong(++i, Instant.now().toEpochMilli());
            insert.setString(++i, body);
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * Up to {@code limit} events not carried yet, in their senders' time order (then arrival order), but those of the
     * sources given (waiting while their reads fail).
     */
    public List<WebhookEvent> pending(int limit, Collection<String> exceptSources) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from webhook_event"
                    + " where status = 'PENDING'" + (exceptSources.isEmpty() ? "" : " and source not in ("
                            + String.join(", ", Collections.nCopies(exceptSources.size(), "?")) + ")")
                    + " order by event_time, seq limit ?")) {
                int i = 0;
                for (String source : exceptSources) {
                    select.setString(++i, source);
                }
                select.setInt(++i, limit);
                return events(select);
            }
        });
    }

    /**
     * A lead's events (by its E.164 phone; every event when null), newest first, from one source or all; at most
     * {@code limit}.
     */
    public List<WebhookEvent> ofLead(String phone, String source, int limit) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from webhook_event where "
                    + (phone == null ? "1 = 1" : "phone = ?") + (source == null ? "" : " and source = ?")
                    + " order by seq desc limit ?")) {
                int i = 0;
                if (phone != null) {
                    select.setString(++i, phone);
                }
                if (source != null) {
                    select.setString(++i, source);
                }
                select.setInt(++i, limit);
                return events(select);
            }
        });
    }

    /** An event with its place in the store: the timeline's cursor is (received_at, seq). */
    public record Numbered(long seq, WebhookEvent event) {
    }

    /**
     * A lead's events by its E.164 phone, newest first by (received_at, seq), before ({@code beforeAt},
     * {@code beforeSeq}): a range read of index webhook_event_phone.
     */
    public List<Numbered> ofPhone(String phone, Instant beforeAt, long beforeSeq, int limit) {
        long at = beforeAt.toEpochMilli();
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select seq, " + COLUMNS + " from webhook_event"
                    + " where phone = ? and received_at <= ? and (received_at < ? or seq < ?)"
                    + " order by received_at desc, seq desc limit ?")) {
                select.setString(1, phone);
                select.setLong(2, at);
                select.setLong(3, at);
                select.setLong(4, beforeSeq);
                select.setInt(5, limit);
                List<Numbered> numbered = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        numbered.add(new Numbered(rows.getLong("seq"), event(rows)));
                    }
                }
                return numbered;
            }
        });
    }

    /** The latest event carried from a source (index webhook_event_source, newest first). */
    public Optional<WebhookEvent> lastCarried(String source) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from webhook_event where source = ?"
                    + " and status = 'CARRIED' order by received_at desc limit 1")) {
                select.setString(1, source);
                return events(select).stream().findFirst();
            }
        });
    }

    public Optional<WebhookEvent> find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from webhook_event where id = ?")) {
                select.setString(1, id);
                return events(select).stream().findFirst();
            }
        });
    }

    /** The time of the latest change of this lead carried from any of these sources, if any. */
    public Optional<Instant> lastCarried(String phone, List<String> sources) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select max(event_time) from webhook_event where phone = ?"
                    + " and status = 'CARRIED' and source in (" + String.join(", ", Collections.nCopies(sources.size(), "?"))
                    + ")")) {
                select.setString(1, phone);
                for (int i = 0; i < sources.size(); i++) {
                    select.setString(i + 2, sources.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    long time = rows.getLong(1);
                    return rows.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(time));
                }
            }
        });
    }

    /** Records what the flows made of an event, with the lead's phone and stage as read from its source. */
    public void finish(WebhookEvent event, WebhookEvent.Status status, String outcome) {
        store.write(c -> {
            try (PreparedStatement update = c.prepareStatement("update webhook_event set status = ?, outcome = ?,"
                    + " phone = ?, stage = ? where id = ?")) {
                update.setString(1, status.name());
                update.setString(2, outcome);
                update.setString(3, event.phone());
                update.setString(4, event.stage());
                update.setString(5, event.id());
                return update.executeUpdate();
            }
        });
    }

    /** Deletes finished events received before the cut-off, in bounded transactions. */
    public void prune(Instant before) {
        store.deleteInBatches("delete from webhook_event where seq in (select seq from webhook_event"
                + " where status <> 'PENDING' and received_at < ? limit 5000)", before);
    }

    private static List<WebhookEvent> events(PreparedStatement select) throws SQLException {
        List<WebhookEvent> found = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                found.add(event(rows));
            }
        }
        return found;
    }

    private static WebhookEvent event(ResultSet rows) throws SQLException {
        return new WebhookEvent(rows.getString("id"), rows.getString("source"), rows.getString("event_id"),
                rows.getString("event_type"), rows.getString("phone"), rows.getString("stage"), rows.getString("lead_id"),
                Instant.ofEpochMilli(rows.getLong("event_time")), Instant.ofEpochMilli(rows.getLong("received_at")),
                WebhookEvent.Status.valueOf(rows.getString("status")), rows.getString("outcome"), rows.getString("body"));
    }
}
