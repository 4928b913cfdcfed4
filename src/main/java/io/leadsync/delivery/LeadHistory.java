package io.leadsync.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.model.DeadLetter;
import io.leadsync.storage.Store;

/**
 * What an update's receipt overwrites, kept for a lead's timeline (table lead_history): each failed attempt with the
 * CRM's answer, and the life an update had before its dead letter was replayed or deleted. Rows are written by
 * {@link LeadStore} in the transaction that changes the receipt or the letter, so the history never disagrees with
 * it; a successful first attempt writes none.
 */
@ApplicationScoped
public class LeadHistory {

    /** ATTEMPT: a failed attempt; ACCEPTED, DEAD_LETTER: the update's earlier life; REPLAYED, DELETED: its letter's end. */
    public enum Kind {
        ATTEMPT, ACCEPTED, DEAD_LETTER, REPLAYED, DELETED
    }

    /**
     * One event of an update's past. {@code status}: how an attempt failed or why the update was dead-lettered (a
     * {@link DeadLetter.Reason}'s name); {@code attempt}: the attempt's number (ATTEMPT) or the attempts made
     * (DEAD_LETTER); {@code detail}: the CRM's answer (ATTEMPT, DEAD_LETTER), the origin (ACCEPTED), what happened.
     */
    public record Event(String updateId, Instant at, Kind kind, String status, Integer attempt, Integer httpStatus,
            String detail) {
    }

    @Inject
    Store store;

    /** A failed attempt: its number, how it failed, the HTTP status the CRM answered (null: none) and why. */
    public static Event attempt(String updateId, Instant at, int attempt, DeadLetter.Reason failure, Integer httpStatus, String why) {
        return new Event(updateId, at, Kind.ATTEMPT, failure.name(), attempt, httpStatus, why);
    }

    /** A dead letter as it was before it was replayed or deleted. */
    static Event deadLetter(DeadLetter letter) {
        return new Event(letter.updateId(), letter.failedAt(), Kind.DEAD_LETTER, letter.reason().name(), letter.attempts(),
                letter.httpStatus(), letter.error());
    }

    /** Something that happened to an update or its letter, said in {@code detail}. */
    static Event note(String updateId, Instant at, Kind kind, String detail) {
        return new Event(updateId, at, kind, null, null, null, detail);
    }

    void insert(Connection c, Event event) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into lead_history"
                + " (update_id, happened_at, kind, status, attempt, http_status, detail) values (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.updateId());
            insert.setLong(2, event.at().toEpochMilli());
            insert.setString(3, event.kind().name());
            insert.setString(4, event.status());
            setInteger(insert, 5, event.attempt());
            setInteger(insert, 6, event.httpStatus());
            insert.setString(7, event.detail());
            insert.executeUpdate();
        }
    }

    /** The past of these updates, oldest first (index lead_history_update). */
    public List<Event> of(List<String> updateIds) {
        if (updateIds.isEmpty()) {
            return List.of();
        }
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select update_id, happened_at, kind, status, attempt,"
                    + " http_status, detail from lead_history where update_id in (" + String.join(", ", Collections.nCopies(updateIds.size(), "?"))
                    + ") order by happened_at, seq")) {
                int i = 0;
                for (String id : updateIds) {
                    select.setString(++i, id);
                }
                List<Event> events = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        events.add(new Event(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                                Kind.valueOf(rows.getString(3)), rows.getString(4), integer(rows, 5), integer(rows, 6), rows.getString(7)));
                    }
                }
                return events;
            }
        });
    }

    /**
     * Deletes, in bounded transactions, what happened before the cut-off (the finished updates it belongs to are
     * pruned with the same cut-off), but never the past of an update still pending.
     */
    int prune(Instant before) {
        return store.deleteInBatches("delete from lead_history where seq in (select h.seq from lead_history h"
                + " where h.happened_at < ? and not exists (select 1 from lead_update u where u.id = h.update_id"
                + " and u.status = 'PENDING') limit 5000)", before);
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static Integer integer(ResultSet rows, int index) throws SQLException {
        int value = rows.getInt(index);
        return rows.wasNull() ? null : value;
    }
}
