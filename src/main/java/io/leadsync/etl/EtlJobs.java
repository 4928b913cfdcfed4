package io.leadsync.etl;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.Secrets;
import io.leadsync.storage.TimeOrderedIds;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The ETL jobs: each is a route {@code direct:etl-<job>} that streams records into an {@link ExportRun}.
 * This class owns a run's life: it refuses a second run of a job that is running, opens the files,
 * and commits them only when the route succeeded (else nothing is left), and keeps recent runs.
 */
@ApplicationScoped
public class EtlJobs {

    private static final Logger LOG = Logger.getLogger(EtlJobs.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final List<String> LEAD_COLUMNS = List.of("source", "leadId", "stage", "phone", "name", "email",
            "fields");

    /** Each job and the CSV columns of its export; an import exports nothing. */
    static final Map<String, List<String>> JOBS = Map.of(
            "telecrm-leads", LEAD_COLUMNS,
            "truto-leads", LEAD_COLUMNS,
            "stages", List.of("source", "id", "name", "pipeline", "category", "position", "active"),
            "lead-import", List.of());

    @Inject
    ProducerTemplate camel;

    @Inject
    ObjectMapper json;

    @Inject
    Secrets secrets;

    @Inject
    EtlDatabase database;

    @Inject
    EtlCheckpoints checkpoints;

    @ConfigProperty(name = "leadsync.etl.export-dir")
    Path exportDir;

    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final Deque<EtlRun> recent = new ArrayDeque<>();

    /** Jobs that can start where the last successful run ended. */
    static final java.util.Set<String> INCREMENTAL = java.util.Set.of("telecrm-leads", "truto-leads");

    /** Runs a job now, incrementally where it can. */
    public EtlRun run(String job, String trigger) {
        return run(job, trigger, false);
    }

    /**
     * Runs a job now, in the caller's thread; a run of the same job already under way makes this one refused.
     * An incremental job starts at its checkpoint unless {@code full}; only success moves the checkpoint.
     */
    public EtlRun run(String job, String trigger, boolean full) {
        List<String> columns = JOBS.get(job);
        if (columns == null) {
            throw new IllegalArgumentException("unknown job '" + job + "'; the jobs are " + JOBS.keySet());
        }
        if (running.putIfAbsent(job, Boolean.TRUE) != null) {
            throw new JobRunningException(job);
        }
        Instant started = Instant.now();
        String id = TimeOrderedIds.next();
        remember(new EtlRun(id, job, trigger, started, null, EtlRun.Status.RUNNING, 0, 0, List.of(), List.of(), null));
        ExportRun export = null;
        EtlRun finished;
        try {
            List<RecordSink> sinks = new ArrayList<>();
            if (!columns.isEmpty()) {
                sinks.add(new ExportFiles(exportDir, job + "-" + STAMP.format(started), columns, json));
                database.sink(job, started).ifPresent(sinks::add);
            }
            Map<String, String> checkpoint = INCREMENTAL.contains(job) ? checkpoints.load(job) : Map.of();
            export = new ExportRun(sinks, full ? Map.of() : checkpoint);
            ExportRun run = export;
            Exchange done = camel.send("direct:etl-" + job, exchange -> exchange.setProperty(ExportRun.PROPERTY, run));
            if (done.getException() != null) {
                throw done.getException();
            }
            List<String> files = export.commit();
            if (!export.reached().isEmpty()) {
                Map<String, String> moved = new java.util.TreeMap<>(checkpoint); // streams not read keep theirs
                moved.putAll(export.reached());
                checkpoints.save(job, moved);
            }
            finished = new EtlRun(id, job, trigger, started, Instant.now(), EtlRun.Status.SUCCEEDED, export.records(),
                    export.errors(), export.skipped(), files, null);
        } catch (Exception e) {
            if (export != null) {
                export.abort();
            }
            Throwable cause = e;
            while (cause instanceof org.apache.camel.CamelExchangeException && cause.getCause() != null) {
                cause = cause.getCause(); // a Split's wrapper: the page's own error says what went wrong
            }
            String reason = secrets.redact(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            finished = new EtlRun(id, job, trigger, started, Instant.now(), EtlRun.Status.FAILED,
                    export == null ? 0 : export.records(), export == null ? 0 : export.errors(),
                    export == null ? List.of() : export.skipped(), List.of(), reason);
        } finally {
            running.remove(job);
        }
        remember(finished);
        LOG.infof("ETL %s (%s): %s, %d records, %d skipped%s", job, trigger, finished.status(), finished.records(),
                finished.errors(), finished.error() == null ? "" : ": " + finished.error());
        return finished;
    }

    public boolean isRunning(String job) {
        return running.containsKey(job);
    }

    /** Recent runs, newest first. */
    public synchronized List<EtlRun> runs() {
        List<EtlRun> runs = new ArrayList<>(recent);
        java.util.Collections.reverse(runs);
        return runs;
    }

    /** Records a run made elsewhere (a lead import file), so GET /etl/runs lists it with the jobs' runs. */
    public void record(EtlRun run) {
        remember(run);
    }

    private synchronized void remember(EtlRun run) {
        recent.removeIf(r -> r.id().equals(run.id()));
        recent.addLast(run);
        while (recent.size() > 100) {
            recent.removeFirst();
        }
    }

    /** A run of the job is already under way. */
    public static class JobRunningException extends RuntimeException {
        JobRunningException(String job) {
            super("job '" + job + "' is already running; two runs of one job never overlap");
        }
    }
}
