package io.leadsync.etl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.cluster.Leadership;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.storage.Store;
import io.leadsync.storage.StoreUnavailableException;
import io.leadsync.storage.TimeOrderedIds;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * The runs of the ETL jobs in the store's table {@code etl_run}, shared by the replicas. Starting a run is
 * inserting its RUNNING row: a unique index allows one per job, so a second start — here or on another
 * replica — finds it and is refused. A RUNNING row whose process is gone (its lease ran out; with SQLite, any
 * earlier process) is marked FAILED in the transaction that starts the next run, so it never blocks its job.
 */
@ApplicationScoped
public class EtlRuns {

    private static final Logger LOG = Logger.getLogger(EtlRuns.class);
    private static final String INTERRUPTED = "interrupted: the replica running it stopped";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, job, trigger, started_at, finished_at, status, records, errors, skipped,"
            + " files, error";

    @Inject
    Store store;

    @Inject
    EtlCheckpoints checkpoints;

    @Inject
    ObjectMapper json;

    @Inject
    LeadsyncConfig config;

    @Inject
    Leadership leadership;

    /** The jobs this process is running: their RUNNING rows are alive whatever this replica's lease says. */
    private final Set<String> here = ConcurrentHashMap.newKeySet();

    private volatile long leaseRenewedAt;

    /**
     * At start-up the runs a killed process left RUNNING are marked FAILED (interrupted) at once: else GET /etl/runs
     * would list a dead run as RUNNING until its job, or another, starts again.
     */
    void markInterruptedAtStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        if (!store.ready()) {
            return; // the next run's start marks them
        }
        try {
            store.write(this::markInterrupted).forEach(this::dropTemporaryFiles);
        } catch (StoreUnavailableException e) {
            LOG.warnf("Marking interrupted ETL runs: %s", e.getMessage());
        }
    }

    /** The hidden temporary files an interrupted run was writing (a kill leaves them): never renamed, so deleted. */
    private void dropTemporaryFiles(String baseName) {
        try {
            if (ExportFiles.dropTemporary(config.etl().exportDir(), baseName)) {
                LOG.infof("Deleted the unfinished export files of the interrupted run %s", baseName);
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("Could not delete the unfinished export files of %s: %s", baseName, e.getMessage());
        }
    }

    /** Inserts the job's RUNNING row, or throws {@link EtlJobs.JobRunningException} when a live run has one. */
    EtlRun start(String job, String trigger) {
        if (!here.add(job)) {
            throw new EtlJobs.JobRunningException(job);
        }
        EtlRun running = new EtlRun(TimeOrderedIds.next(), job, trigger, Instant.now(), null,
                EtlRun.Status.RUNNING, 0, 0, List.of(), List.of(), null);
        boolean started = false;
        try {
            List<String> interrupted = new java.util.ArrayList<>();
            started = store.write(c -> {
                if (store.kind() == Store.Kind.POSTGRESQL) {
                    store.renewLease(c, store.process()); // in with the row: the others see its owner alive
                }
                interrupted.clear(); // a batch that failed runs its writes again, one by one
                interrupted.addAll(markInterrupted(c));
                return insert(c, running, store.process()) > 0;
            });
            interrupted.forEach(this::dropTemporaryFiles);
            if (!started) {
                throw new EtlJobs.JobRunningException(job);
            }
            leaseRenewedAt = System.currentTimeMillis();
            return running;
        } finally {
            if (!started) {
                here.remove(job);
            }
        }
    }

    /**
     * RUNNING rows nobody runs any more become FAILED: another process's whose lease ran out (PostgreSQL) or any
     * other process's (SQLite: one process per data dir, so it was an earlier one), and this process's own for a
     * job it no longer runs (its end could not be recorded). Returns the base names of their export files.
     */
    private List<String> markInterrupted(Connection c) throws SQLException {
        String otherGone = store.kind() == Store.Kind.POSTGRESQL ? "owner not in (" + store.liveReplicas() + ")" : "1 = 1";
        List<String> ours = List.copyOf(here);
        String oursGone = ours.isEmpty() ? "" : " and job not in (" + String.join(", ", Collections.nCopies(ours.size(), "?")) + ")";
        try (PreparedStatement mark = c.prepareStatement("update etl_run set status = 'FAILED', finished_at = ?, error = ?"
                + " where status = 'RUNNING' and ((owner <> ? and " + otherGone + ") or (owner = ?" + oursGone + "))"
                + " returning job, started_at")) {
            int i = 0;
            mark.setLong(++i, System.currentTimeMillis());
            mark.setString(++i, INTERRUPTED);
            mark.setString(++i, store.process());
            mark.setString(++i, store.process());
            for (String job : ours) {
                mark.setString(++i, job);
            }
            List<String> marked = new java.util.ArrayList<>();
            try (java.sql.ResultSet rows = mark.executeQuery()) {
                while (rows.next()) {
                    marked.add(ExportFiles.baseName(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2))));
                }
            }
            if (!marked.isEmpty()) {
                LOG.warnf("%d ETL runs marked FAILED: %s", marked.size(), INTERRUPTED);
            }
            return marked;
        }
    }

    /**
     * Records how a started run ended, with the moved checkpoint (null: it stays) in the same transaction; returns
     * the run as recorded. A run another replica marked interrupted meanwhile stays so, and moves nothing.
     */
    EtlRun finish(EtlRun finished, Map<String, String> checkpoint) {
        try {
            boolean recorded = store.write(c -> {
                try (PreparedStatement update = c.prepareStatement("update etl_run set finished_at = ?, status = ?,"
                        + " records = ?, errors = ?, skipped = ?, files = ?, error = ? where id = ? and status = 'RUNNING'")) {
                    int i = 0;
                    update.setLong(++i, finished.finished().toEpochMilli());
                    update.setString(++i, finished.status().name());
                    update.setLong(++i, finished.records());
                    update.setLong(++i, finished.errors());
                    update.setString(++i, write(finished.skipped()));
                    update.setString(++i, write(finished.files()));
                    update.setString(++i, finished.error());
                    update.setString(++i, finished.id());
                    if (update.executeUpdate() == 0) {
                        return false;
                    }
                }
                if (checkpoint != null) {
                    checkpoints.save(c, finished.job(), checkpoint);
                }
                return true;
            });
            return recorded ? finished : failed(finished, INTERRUPTED + " (its lease ran out); the checkpoint did not move");
        } catch (StoreUnavailableException e) {
            return failed(finished, "the end of the run could not be recorded, the checkpoint did not move: " + e.getMessage());
        } finally {
            here.remove(finished.job());
        }
    }

    private static EtlRun failed(EtlRun run, String error) {
        return new EtlRun(run.id(), run.job(), run.trigger(), run.started(), run.finished(), EtlRun.Status.FAILED,
                run.records(), run.errors(), run.skipped(), run.files(), error);
    }

    /** Stores a run made elsewhere (a lead import file), finished already. */
    void record(EtlRun run) {
        store.write(c -> insert(c, run, null));
    }

    private int insert(Connection c, EtlRun run, String owner) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into etl_run (" + COLUMNS + ", owner)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            int i = 0;
            insert.setString(++i, run.id());
            insert.setString(++i, run.job());
            insert.setString(++i, run.trigger());
            insert.setLong(++i, run.started().toEpochMilli());
            if (run.finished() == null) {
                insert.setNull(++i, Types.BIGINT);
            } else {
                insert.setLong(++i, run.finished().toEpochMilli());
            }
            insert.setString(++i, run.status().name());
            insert.setLong(++i, run.records());
            insert.setLong(++i, run.errors());
            insert.setString(++i, write(run.skipped()));
            insert.setString(++i, write(run.files()));
            insert.setString(++i, run.error());
            insert.setString(++i, owner);
            return insert.executeUpdate();
        }
    }

    /** The newest runs first, of one job or all: a range read of the key or of (job, id). */
    List<EtlRun> list(String job, int limit) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from etl_run"
                    + (job == null ? "" : " where job = ?") + " order by id desc limit ?")) {
                int i = 0;
                if (job != null) {
                    select.setString(++i, job);
                }
                select.setInt(++i, limit);
                List<EtlRun> runs = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        runs.add(run(rows));
                    }
                }
                return runs;
            }
        });
    }

    boolean isRunning(String job) {
        return store.query(c -> {
            try (PreparedStatement select = c.prepareStatement("select 1 from etl_run where job = ? and status = 'RUNNING'")) {
                select.setString(1, job);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /**
     * PostgreSQL: while this process runs a job its lease is kept alive here too, for a process whose delivery
     * (which renews it otherwise) is off — run-once — or stalled; else another replica would mark the run interrupted.
     */
    @Scheduled(identity = "etl-run-lease", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void keepLease() {
        long now = System.currentTimeMillis();
        if (here.isEmpty() || store.kind() != Store.Kind.POSTGRESQL
                || now - leaseRenewedAt < config.cluster().takeover().toMillis() / 3) {
            return;
        }
        try {
            store.write(c -> store.renewLease(c, store.process()));
            leaseRenewedAt = now;
        } catch (StoreUnavailableException e) {
            LOG.warnf("Could not renew the lease of this replica's ETL runs: %s", e.getMessage());
        }
    }

    /** Every prune interval, on the leader: runs finished longer ago than keep-done go, in bounded batches. */
    @Scheduled(identity = "prune-etl-runs", every = "${leadsync.delivery.prune-interval}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        if (!leadership.isLeader() || store.unavailable() != null) {
            return;
        }
        try {
            int pruned = prune(Instant.now().minus(config.delivery().keepDone()));
            if (pruned > 0) {
                LOG.infof("Pruned %d ETL runs finished more than %s ago", pruned, config.delivery().keepDone());
            }
        } catch (StoreUnavailableException e) {
            LOG.warnf("Pruning ETL runs: %s", e.getMessage());
        }
    }

    int prune(Instant finishedBefore) {
        store.write(c -> {
            // Leases long run out: each run-once process leaves one behind (it never releases like a service).
            try (PreparedStatement delete = c.prepareStatement("delete from replica where lease_until < ?")) {
                delete.setLong(1, finishedBefore.toEpochMilli());
                return delete.executeUpdate();
            }
        });
        return store.deleteInBatches("delete from etl_run where id in (select id from etl_run"
                + " where status <> 'RUNNING' and finished_at < ? limit 5000)", finishedBefore);
    }

    private EtlRun run(ResultSet rows) throws SQLException {
        long finished = rows.getLong("finished_at");
        Instant finishedAt = rows.wasNull() ? null : Instant.ofEpochMilli(finished);
        return new EtlRun(rows.getString("id"), rows.getString("job"), rows.getString("trigger"),
                Instant.ofEpochMilli(rows.getLong("started_at")), finishedAt, EtlRun.Status.valueOf(rows.getString("status")),
                rows.getLong("records"), rows.getLong("errors"), read(rows.getString("skipped")), read(rows.getString("files")),
                rows.getString("error"));
    }

    private String write(List<String> values) {
        try {
            return json.writeValueAsString(values == null ? List.of() : values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> read(String values) {
        try {
            return values == null ? List.of() : json.readValue(values, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored ETL run is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
