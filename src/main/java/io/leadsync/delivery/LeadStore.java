package io.leadsync.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.catalog.CatalogSources;
import io.leadsync.crm.Crms;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.leadsync.storage.GroupCommit;
import io.leadsync.storage.Store;
import io.leadsync.storage.TimeOrderedIds;

/**
 * The durable state of lead routing, in the {@link Store}: accepted updates with their receipts (table
 * {@code lead_update}, which is also the delivery queue), dead letters and idempotency keys. An accept
 * writes the update, its PENDING receipt and its idempotency key in one transaction, committed before the
 * caller hears the id; the committed update then goes straight to {@link DeliveryQueue} in memory.
 *
 * <p>Which replica delivers an update is its {@code owner}: the accepting replica, unless an earlier update
 * of the same lead is still pending elsewhere (then nobody, until it is that lead's turn and a replica
 * {@linkplain #claim claims} it). A claim holds while its owner's lease in {@code replica} is renewed.
 */
@ApplicationScoped
public class LeadStore {

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9a-f-]{36}");
    private static final TypeReference<List<Receipt.Remark>> REMARKS = new TypeReference<>() {
    };
    private static final String UPDATE_COLUMNS = "seq, id, target, lead_key, status, attempts, target_lead_id, remarks,"
            + " error, accepted_at, updated_at, origin, body";
    private static final String DEAD_LETTER_COLUMNS = "id, update_id, target, reason, http_status, attempts, failed_at,"
            + " error, body, origin, raw";

    @Inject
    Store store;

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    DeliveryMetrics metrics;

    @Inject
    DeliveryQueue queue;

    @Inject
    LeadHistory history;

    /** A heartbeat has committed this replica's lease. */
    private volatile boolean leased;

    /** An update on its way to delivery: where it is in the queue, the update, and its receipt so far. */
    public record Queued(long seq, String leadKey, Accepted accepted, Receipt receipt) {
        String crm() {
            return accepted.update().crm();
        }
    }

    /** Registers the pending gauges; returns what removes them. */
    Runnable registerMetrics() {
        List<Runnable> removals = new ArrayList<>();
        for (String crm : Crms.NAMES) {
            removals.add(metrics.pending(crm, () -> waiting(crm)));
        }
        return () -> removals.forEach(Runnable::run);
    }

    /**
     * This process's name as the owner of updates: fixed for SQLite (one process per data dir: a restart takes
     * back its own), the process's id with PostgreSQL.
     */
    String replica() {
        return store.kind() == Store.Kind.SQLITE ? "local" : store.process();
    }

    /** How many updates wait for a CRM: counted (through an index) when metrics are scraped, never kept. */
    long waiting(String crm) {
        if (store.unavailable() != null) {
            return 0;
        }
        try (Connection c = store.read();
                PreparedStatement count = c.prepareStatement("select count(*) from lead_update where status = 'PENDING' and crm = ?")) {
            count.setString(1, crm);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    /**
     * Stores an update for delivery and returns its id, once committed; with an idempotency key used within
     * {@code leadsync.delivery.idempotency-window}, returns the first submission's id and stores nothing.
     */
    public String accept(LeadUpdate update, String idempotencyKey, String origin) {
        Accepted accepted = new Accepted(TimeOrderedIds.next(), Instant.now(), update, origin);
        String body = write(update);
        String hash = idempotencyKey == null ? null : sha256(idempotencyKey);
        Accept outcome = write(c -> {
            String first = hash == null ? null : claimKey(c, hash, accepted);
            return first != null ? new Accept(first, null) : new Accept(accepted.id(), insert(c, accepted, body));
        }, a -> {
            if (a.handOff() != null) {
                queue.accepted(a.handOff());
            }
        });
        if (outcome.id().equals(accepted.id())) {
            metrics.accepted(update.target());
        }
        return outcome.id();
    }

    /** What an accept stored: the id to answer, and the update to deliver here (null: none, or another replica's turn). */
    private record Accept(String id, Queued handOff) {
    }

    /** The update id the key already stands for, or null after recording it for this update. */
    private String claimKey(Connection c, String hash, Accepted accepted) throws SQLException {
        long now = accepted.acceptedAt().toEpochMilli();
        try (PreparedStatement key = c.prepareStatement("""
                insert into idempotency_key (key_hash, update_id, created_at) values (?, ?, ?)
                on conflict (key_hash) do update set update_id = excluded.update_id, created_at = excluded.created_at
                where idempotency_key.created_at < ?
                returning update_id""")) {
            key.setString(1, hash);
            key.setString(2, accepted.id());
            key.setLong(3, now);
            key.setLong(4, now - config.delivery().idempotencyWindow().toMillis());
            try (ResultSet rows = key.executeQuery()) {
                if (rows.next()) {
                    return null;
                }
            }
        }
        try (PreparedStatement first = c.prepareStatement("select update_id from idempotency_key where key_hash = ?")) {
            first.setString(1, hash);
            try (ResultSet rows = first.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    /**
     * Inserts a PENDING update, owned by this replica unless an earlier update of its lead is pending and not
     * ours; returns it for delivery here, or null when a claim will take it in turn.
     */
    private Queued insert(Connection c, Accepted accepted, String body) throws SQLException {
        if (!leased) {
            // Before this replica's first heartbeat: its lease goes in with its first updates, or another replica
            // would see their owner as dead and claim them while they are being delivered here.
            renewLease(c);
        }
        LeadUpdate update = accepted.update();
        String leadKey = leadKey(update, accepted.id());
        long at = accepted.acceptedAt().toEpochMilli();
        try (PreparedStatement insert = c.prepareStatement("""
                insert into lead_update (id, crm, target, lead_key, phone, status, attempts, accepted_at, updated_at, origin, body, owner)
                select ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, case when exists (
                    select 1 from lead_update e where e.status = 'PENDING' and e.crm = ? and e.lead_key = ?
                        and (e.owner is null or e.owner <> ?)) then null else ? end
                returning seq, owner""")) {
            int i = 0;
            insert.setString(++i, accepted.id());
            insert.setString(++i, update.crm());
            insert.setString(++i, update.target());
            insert.setString(++i, leadKey);
            insert.setString(++i, phoneDigits(update.phone()));
            insert.setLong(++i, at);
            insert.setLong(++i, at);
            insert.setString(++i, accepted.origin());
            insert.setString(++i, body);
            insert.setString(++i, update.crm());
            insert.setString(++i, leadKey);
            insert.setString(++i, replica());
            insert.setString(++i, replica());
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                if (rows.getString(2) == null) {
                    notifyClaimers(c); // for whichever replica takes the lead's turn
                    return null;
                }
                return new Queued(rows.getLong(1), leadKey, accepted, Receipt.pending(accepted.id(), update.target(),
                        accepted.acceptedAt()));
            }
        }
    }

    /**
     * Updates of one lead to one target are delivered in acceptance order: the lead is its id in the
     * target, else its phone; an update with neither is a lead of its own.
     */
    static String leadKey(LeadUpdate update, String updateId) {
        if (update.leadId() != null && !update.leadId().isBlank()) {
            return update.target() + "|id:" + update.leadId();
        }
        if (update.phone() != null && !update.phone().isBlank()) {
            return update.target() + "|phone:" + phoneDigits(update.phone());
        }
        return update.target() + "|update:" + updateId;
    }

    /** A phone as its digits only: one lead however a CRM or a person wrote it; null for none. */
    public static String phoneDigits(String phone) {
        return phone == null || phone.isBlank() ? null : phone.replaceAll("[^0-9]", "");
    }

    /** An accepted update as the console shows it: its place in the store, its receipt, where it came from, what it asked. */
    public record Entry(long seq, Receipt receipt, String origin, LeadUpdate update) {
    }

    /**
     * Updates of one phone (digits only, {@link #phoneDigits}), whatever their target or status, newest first by
     * (accepted_at, seq), before ({@code beforeAt}, {@code beforeSeq}): a range
     * read of index lead_update_phone.
     */
    public List<Entry> ofPhone(String digits, Instant beforeAt, long beforeSeq, int limit) {
        long at = beforeAt.toEpochMilli();
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + UPDATE_COLUMNS + " from lead_update"
                    + " where phone = ? and accepted_at <= ? and (accepted_at < ? or seq < ?)"
                    + " order by accepted_at desc, seq desc limit ?")) {
                select.setString(1, digits);
                select.setLong(2, at);
                select.setLong(3, at);
                select.setLong(4, beforeSeq);
                select.setInt(5, limit);
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(entry(rows));
                    }
                }
                return entries;
            }
        });
    }

    /** One accepted update with its receipt. */
    public Optional<Entry> entry(String id) {
        return update(id, this::entry);
    }

    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** The update of that id, read from its row by {@code row}. */
    private <T> Optional<T> update(String id, Row<T> row) {
        if (!isId(id)) {
            return Optional.empty();
        }
        return read(c -> update(c, id, row));
    }

    private <T> Optional<T> update(Connection c, String id, Row<T> row) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("select " + UPDATE_COLUMNS + " from lead_update where id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(row.read(rows)) : Optional.empty();
            }
        }
    }

    /** The dead letters of these updates (index dead_letter_update). */
    public List<DeadLetter> deadLettersOf(List<String> updateIds) {
        if (updateIds.isEmpty()) {
            return List.of();
        }
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + DEAD_LETTER_COLUMNS + " from dead_letter where update_id in ("
                    + String.join(", ", java.util.Collections.nCopies(updateIds.size(), "?")) + ") order by id")) {
                int i = 0;
                for (String id : updateIds) {
                    select.setString(++i, id);
                }
                List<DeadLetter> letters = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        letters.add(deadLetter(rows));
                    }
                }
                return letters;
            }
        });
    }

    /**
     * How many updates of these targets per status: those pending now, and those DELIVERED or SKIPPED since
     * {@code since} (dead letters are counted as letters, {@link #deadLetterCount}, as the dead-letter list shows
     * them). One count per target and status, each a range of index lead_update_finished_by_target: a grouped count
     * over the day would read every row of the day's updates and sort them (bench/RESULTS.md, "Console page times").
     */
    public Map<String, Map<Receipt.Status, Long>> counts(List<String> targets, Instant since) {
        return read(c -> {
            Map<String, Map<Receipt.Status, Long>> counts = new java.util.TreeMap<>();
            try (PreparedStatement pending = c.prepareStatement(
                    "select target, count(*) from lead_update where status = 'PENDING' group by target");
                    PreparedStatement finished = c.prepareStatement("select count(*) from lead_update"
                            + " where target = ? and status = ? and status <> 'PENDING' and updated_at >= ?")) {
                try (ResultSet rows = pending.executeQuery()) { // the backlog, through lead_update_pending
                    while (rows.next()) {
                        counts.computeIfAbsent(rows.getString(1), t -> new java.util.EnumMap<>(Receipt.Status.class))
                                .put(Receipt.Status.PENDING, rows.getLong(2));
                    }
                }
                for (String target : targets) {
                    for (Receipt.Status status : List.of(Receipt.Status.DELIVERED, Receipt.Status.SKIPPED)) {
                        finished.setString(1, target);
                        finished.setString(2, status.name());
                        finished.setLong(3, since.toEpochMilli());
                        try (ResultSet rows = finished.executeQuery()) {
                            long n = rows.next() ? rows.getLong(1) : 0;
                            if (n > 0) {
                                counts.computeIfAbsent(target, t -> new java.util.EnumMap<>(Receipt.Status.class)).put(status, n);
                            }
                        }
                    }
                }
            }
            return counts;
        });
    }

    /** How many dead letters of a target there are since a time: those the dead-letter list pages (index dead_letter_target). */
    public long deadLetterCount(String target, Instant since) {
        return read(c -> {
            try (PreparedStatement count = c.prepareStatement("select count(*) from dead_letter where target = ? and id > ?")) {
                count.setString(1, target);
                count.setString(2, TimeOrderedIds.first(since));
                try (ResultSet rows = count.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    /** The update's receipt. */
    public Optional<Receipt> receipt(String id) {
        return update(id, this::receipt);
    }

    /**
     * A failed attempt: the receipt, still PENDING, counts it and says why; {@code attempt}, the attempt with the
     * CRM's answer, goes into the update's history (null: no CRM was called, such as a wait for a catalog).
     */
    public void attempted(Receipt receipt, LeadHistory.Event attempt) {
        write(c -> {
            saveReceipt(c, receipt);
            if (attempt != null) {
                history.insert(c, attempt);
            }
            return null;
        }, null);
    }

    /** The update reached its CRM; a part the CRM dropped is parked as a dead letter in the same transaction. */
    public void delivered(Receipt receipt, DeadLetter dropped) {
        write(c -> {
            saveReceipt(c, receipt);
            if (dropped != null) {
                insert(c, dropped);
            }
            return null;
        }, null);
    }

    /** The update needed no write (SKIPPED): only its receipt changes. */
    public void skipped(Receipt receipt) {
        write(c -> saveReceipt(c, receipt), null);
    }

    /** The update is a dead letter: receipt and letter in one transaction. */
    public void deadLettered(Receipt receipt, DeadLetter deadLetter) {
        write(c -> {
            saveReceipt(c, receipt);
            insert(c, deadLetter);
            return null;
        }, null);
    }

    /** A dead letter of its own (an intake line that is not an update). */
    public void save(DeadLetter deadLetter) {
        write(c -> insert(c, deadLetter), null);
    }

    private Void saveReceipt(Connection c, Receipt receipt) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                update lead_update set status = ?, attempts = ?, target_lead_id = ?, remarks = ?, error = ?, updated_at = ?,
                    owner = case when ? = 'PENDING' then owner else null end
                where id = ?""")) {
            update.setString(1, receipt.status().name());
            update.setInt(2, receipt.attempts());
            update.setString(3, receipt.targetLeadId());
            update.setString(4, receipt.remarks() == null || receipt.remarks().isEmpty() ? null : write(receipt.remarks()));
            update.setString(5, receipt.error());
            update.setLong(6, receipt.updatedAt().toEpochMilli());
            update.setString(7, receipt.status().name());
            update.setString(8, receipt.id());
            update.executeUpdate();
        }
        if (receipt.status() != Receipt.Status.PENDING) {
            notifyClaimers(c); // the lead's next update, if another replica holds it, may start
        }
        return null;
    }

    /** Inserts a dead letter (if absent: the upgrade import may run twice). */
    Void insert(Connection c, DeadLetter d) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into dead_letter (" + DEAD_LETTER_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing")) {
            insert.setString(1, d.id());
            insert.setString(2, d.updateId());
            insert.setString(3, d.target());
            insert.setString(4, d.reason().name());
            if (d.httpStatus() == null) {
                insert.setNull(5, Types.INTEGER);
            } else {
                insert.setInt(5, d.httpStatus());
            }
            insert.setInt(6, d.attempts());
            insert.setLong(7, d.failedAt().toEpochMilli());
            insert.setString(8, d.error());
            insert.setString(9, d.update() == null ? null : write(d.update()));
            insert.setString(10, d.origin());
            insert.setString(11, d.raw());
            insert.executeUpdate();
        }
        return null;
    }

    public Optional<DeadLetter> deadLetter(String id) {
        if (!isId(id)) {
            return Optional.empty();
        }
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + DEAD_LETTER_COLUMNS + " from dead_letter where id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(deadLetter(rows)) : Optional.<DeadLetter>empty();
                }
            }
        });
    }

    /**
     * One page of dead letters, oldest first (ids sort by time), after the given id, optionally of one
     * target and one reason: a range read of the index that fits ((target, reason, id), (target, id),
     * (reason, id) or the key), never a scan of them all.
     */
    public List<DeadLetter> deadLetters(String target, DeadLetter.Reason reason, String after, int limit) {
        StringBuilder sql = new StringBuilder("select " + DEAD_LETTER_COLUMNS + " from dead_letter where id > ?");
        List<String> args = new ArrayList<>(List.of(after == null ? "" : after));
        if (target != null) {
            sql.append(" and target = ?");
            args.add(target);
        }
        if (reason != null) {
            sql.append(" and reason = ?");
            args.add(reason.name());
        }
        sql.append(" order by id limit ?");
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement(sql.toString())) {
                int i = 0;
                for (String arg : args) {
                    select.setString(++i, arg);
                }
                select.setInt(++i, limit);
                List<DeadLetter> page = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        page.add(deadLetter(rows));
                    }
                }
                return page;
            }
        });
    }

    /** Deletes a dead letter; its update's history keeps what it said and that it was deleted. */
    public boolean deleteDeadLetter(String id) {
        return isId(id) && write(c -> {
            DeadLetter letter = deleted(c, id);
            if (letter != null && letter.updateId() != null) {
                history.insert(c, LeadHistory.deadLetter(letter));
                history.insert(c, LeadHistory.note(letter.updateId(), Instant.now(), LeadHistory.Kind.DELETED,
                        "dead letter " + id + " deleted"));
            }
            return letter != null;
        }, null);
    }

    /** Deletes a dead letter and returns it as it was stored; null when it is gone already. */
    private DeadLetter deleted(Connection c, String id) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("delete from dead_letter where id = ? returning " + DEAD_LETTER_COLUMNS)) {
            delete.setString(1, id);
            try (ResultSet rows = delete.executeQuery()) {
                return rows.next() ? deadLetter(rows) : null;
            }
        }
    }

    /**
     * Puts a dead letter's update back into the queue — under its own id, receipt back to PENDING, or as a
     * new update for a PARTIAL letter (it holds only what was dropped) — and deletes the letter, in one
     * transaction; null when the letter is gone already (replayed by someone else). The update's history keeps
     * what it went through before: its acceptance, the dead letter, and the replay (edited or not).
     */
    public String replay(DeadLetter deadLetter) {
        boolean partial = deadLetter.reason() == DeadLetter.Reason.PARTIAL || deadLetter.updateId() == null;
        Instant now = Instant.now();
        // The origin is kept: a sync flow's update replayed is still that flow's write (its echo is known by it).
        String replay = "replay of dead letter " + deadLetter.id();
        Accepted accepted = new Accepted(partial ? TimeOrderedIds.next() : deadLetter.updateId(), now,
                deadLetter.update(), deadLetter.origin() == null ? replay : deadLetter.origin() + " (" + replay + ")");
        String body = write(accepted.update());
        Accept queued = write(c -> {
            DeadLetter stored = deleted(c, deadLetter.id());
            if (stored == null) {
                return null;
            }
            List<String> changes = stored.update() == null ? List.of() : accepted.update().changesFrom(stored.update());
            String edited = changes.isEmpty() ? "" : ", edited: " + String.join("; ", changes);
            if (stored.updateId() != null) {
                Optional<Entry> before = partial ? Optional.empty() : update(c, stored.updateId(), this::entry);
                if (before.isPresent()) {
                    history.insert(c, LeadHistory.note(stored.updateId(), before.get().receipt().acceptedAt(),
                            LeadHistory.Kind.ACCEPTED, before.get().origin()));
                }
                history.insert(c, LeadHistory.deadLetter(stored));
                history.insert(c, LeadHistory.note(stored.updateId(), now, LeadHistory.Kind.REPLAYED, partial
                        ? "what the CRM dropped replayed" + edited + " as update " + accepted.id()
                        : "dead letter " + stored.id() + " replayed" + edited));
            }
            if (!partial) {
                try (PreparedStatement delete = c.prepareStatement("delete from lead_update where id = ?")) {
                    delete.setString(1, accepted.id());
                    delete.executeUpdate();
                }
            }
            Queued requeued = insert(c, accepted, body); // a new place at the end of the queue
            return new Accept(accepted.id(), requeued);
        }, a -> {
            if (a != null && a.handOff() != null) {
                queue.accepted(a.handOff());
            }
        });
        return queued == null ? null : queued.id();
    }

    /**
     * Replays every dead letter of a target and a reason (either or both null: any) that is there now, page by
     * page; returns the replayed update ids. A letter holding an intake line that is not an update is left: it
     * needs fixing first. An update that fails again at once becomes a newer dead letter, left alone.
     */
    public List<String> replayAll(String target, DeadLetter.Reason reason) {
        List<String> replayed = new ArrayList<>();
        String now = TimeOrderedIds.next();
        String after = null;
        for (List<DeadLetter> page; !(page = deadLetters(target, reason, after, 1000)).isEmpty();) {
            for (DeadLetter deadLetter : page) {
                if (deadLetter.id().compareTo(now) > 0) {
                    return replayed;
                }
                if (deadLetter.update() != null) {
                    String id = replay(deadLetter);
                    if (id != null) {
                        replayed.add(id);
                    }
                }
            }
            after = page.get(page.size() - 1).id();
        }
        return replayed;
    }

    /**
     * Takes up to {@code limit} pending updates for a CRM that no live replica owns (their owner died, or they
     * waited for an earlier update of their lead), oldest first, and only where no earlier update of the same
     * lead is still held by another live replica: a lead's updates stay in order across replicas. Claims are
     * serialised per CRM (an advisory lock on PostgreSQL, the single writer on SQLite), so two claimers never
     * split one lead's updates between them (graphile-worker #621).
     */
    List<Queued> claim(String crm, int limit) {
        String live = store.liveReplicas();
        boolean postgres = store.kind() == Store.Kind.POSTGRESQL;
        String sql = "update lead_update set owner = ? where seq in (select c.seq from lead_update c"
                + " where c.status = 'PENDING' and c.crm = ? and (c.owner is null or (c.owner <> ? and c.owner not in (" + live + ")))"
                + " and not exists (select 1 from lead_update e where e.status = 'PENDING' and e.crm = c.crm"
                + " and e.lead_key = c.lead_key and e.seq < c.seq and e.owner <> ? and e.owner in (" + live + "))"
                + " order by c.seq limit ?" + (postgres ? " for update skip locked" : "") + ") returning " + UPDATE_COLUMNS;
        return write(c -> {
            if (postgres) {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('leadsync-claim:' || ?))")) {
                    lock.setString(1, crm);
                    lock.execute();
                }
            }
            try (PreparedStatement claim = c.prepareStatement(sql)) {
                claim.setString(1, replica());
                claim.setString(2, crm);
                claim.setString(3, replica()); // never our own: those are in memory already, or read in by owned()
                claim.setString(4, replica());
                claim.setInt(5, limit);
                return queued(claim);
            }
        }, null);
    }

    /** This replica's pending updates for a CRM after {@code seq}, oldest first: read in when memory has room. */
    List<Queued> owned(String crm, long afterSeq, int limit) {
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + UPDATE_COLUMNS + " from lead_update"
                    + " where status = 'PENDING' and crm = ? and owner = ? and seq > ? order by seq limit ?")) {
                select.setString(1, crm);
                select.setString(2, replica());
                select.setLong(3, afterSeq);
                select.setInt(4, limit);
                return queued(select);
            }
        });
    }

    private List<Queued> queued(PreparedStatement statement) throws SQLException {
        List<Queued> found = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                LeadUpdate update = read(rows.getString("body"), LeadUpdate.class);
                Accepted accepted = new Accepted(rows.getString("id"), Instant.ofEpochMilli(rows.getLong("accepted_at")),
                        update, rows.getString("origin"));
                found.add(new Queued(rows.getLong("seq"), rows.getString("lead_key"), accepted, receipt(rows)));
            }
        }
        found.sort(java.util.Comparator.comparingLong(Queued::seq)); // RETURNING has no order
        return found;
    }

    /** Renews this replica's lease: its claims hold for {@code takeover} more. */
    void heartbeat() {
        write(this::renewLease, null);
        leased = true;
    }

    private int renewLease(Connection c) throws SQLException {
        return store.renewLease(c, replica());
    }

    /** On a clean stop: this replica's pending updates and its lease go, so another replica takes them at once. */
    void release() {
        write(c -> {
            try (PreparedStatement free = c.prepareStatement("update lead_update set owner = null where status = 'PENDING' and owner = ?");
                    PreparedStatement leave = c.prepareStatement("delete from replica where id = ?")) {
                free.setString(1, replica());
                leave.setString(1, replica());
                free.executeUpdate();
                notifyClaimers(c);
                return leave.executeUpdate();
            }
        }, null);
    }

    /**
     * Deletes finished updates (with their receipts) last changed before the cut-off and idempotency keys
     * older than their window, in bounded transactions; returns how many updates went.
     */
    public int prune(Instant finishedBefore, Instant keysBefore) {
        int pruned = store.deleteInBatches("delete from lead_update where seq in (select seq from lead_update"
                + " where status <> 'PENDING' and updated_at < ? limit 5000)", finishedBefore);
        history.prune(finishedBefore);
        store.deleteInBatches("delete from idempotency_key where key_hash in (select key_hash from idempotency_key"
                + " where created_at < ? limit 5000)", keysBefore);
        return pruned;
    }

    /** PostgreSQL: wakes every replica's claimer when this transaction commits (one NOTIFY per transaction). */
    private void notifyClaimers(Connection c) throws SQLException {
        if (store.kind() == Store.Kind.POSTGRESQL) {
            DeliveryQueue.notifyClaimers(c);
        }
    }

    private Receipt receipt(ResultSet rows) throws SQLException {
        String remarks = rows.getString("remarks");
        return new Receipt(rows.getString("id"), rows.getString("target"), Receipt.Status.valueOf(rows.getString("status")),
                rows.getInt("attempts"), rows.getString("target_lead_id"),
                remarks == null ? List.of() : read(remarks, REMARKS), rows.getString("error"),
                Instant.ofEpochMilli(rows.getLong("accepted_at")), Instant.ofEpochMilli(rows.getLong("updated_at")));
    }

    private Entry entry(ResultSet rows) throws SQLException {
        String body = rows.getString("body");
        return new Entry(rows.getLong("seq"), receipt(rows), rows.getString("origin"),
                body == null ? null : read(body, LeadUpdate.class));
    }

    private DeadLetter deadLetter(ResultSet rows) throws SQLException {
        int status = rows.getInt("http_status");
        Integer httpStatus = rows.wasNull() ? null : status;
        String body = rows.getString("body");
        return new DeadLetter(rows.getString("id"), rows.getString("update_id"), rows.getString("target"),
                DeadLetter.Reason.valueOf(rows.getString("reason")), httpStatus, rows.getInt("attempts"),
                Instant.ofEpochMilli(rows.getLong("failed_at")), rows.getString("error"),
                body == null ? null : read(body, LeadUpdate.class), rows.getString("origin"), rows.getString("raw"));
    }

    <T> T write(GroupCommit.Write<T> write, GroupCommit.AfterCommit<T> afterCommit) {
        return store.write(write, afterCommit);
    }

    private <T> T read(GroupCommit.Write<T> read) {
        return store.query(read);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored document is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored document is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    /** Ids are ours (UUIDs): anything else never reaches the database. */
    private static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
