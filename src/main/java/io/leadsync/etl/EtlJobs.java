package io.leadsync.etl;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.crm.Crm;
import io.leadsync.crm.CrmFailures;
import io.leadsync.crm.Crms;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The ETL jobs: each is a route {@code direct:etl-<job>} that streams records into an {@link ExportRun}.
 * This class owns a run's life: it starts it in the store ({@link EtlRuns}: one run of a job at a time, across
 * replicas), opens the files, commits them only when the route succeeded (else nothing is left), and records how
 * the run ended.
 */
@ApplicationScoped
public class EtlJobs {

    private static final Logger LOG = Logger.getLogger(EtlJobs.class);

    private static final List<String> LEAD_COLUMNS = List.of("source", "leadId", "stage", "phone", "name", "email",
            "fields");

    /** Jobs that can start where the last successful run ended: each CRM's export of its leads, {@code <crm>-leads}. */
    static final Set<String> INCREMENTAL = Crms.ALL.stream().filter(Crm::exportsLeads).map(crm -> crm.name() + "-leads")
            .collect(Collectors.toCollection(LinkedHashSet::new));

    /** Each job and the CSV columns of its export; an import exports nothing. */
    static final Map<String, List<String>> JOBS = jobs();

    @Inject
    ProducerTemplate camel;

    @Inject
    ObjectMapper json;

    @Inject
    CrmFailures failures;

    @Inject
    EtlDatabase database;

    @Inject
    EtlCheckpoints checkpoints;

    @Inject
    EtlRuns runs;

    @ConfigProperty(name = "leadsync.etl.export-dir")
    Path exportDir;

    private static Map<String, List<String>> jobs() {
        Map<String, List<String>> jobs = new LinkedHashMap<>();
        INCREMENTAL.forEach(job -> jobs.put(job, LEAD_COLUMNS));
        jobs.put("stages", List.of("source", "id", "name", "pipeline", "category", "position", "active"));
        jobs.put("lead-import", List.of());
        return Collections.unmodifiableMap(jobs);
    }

    /** Runs a job now, incrementally where it can. */
    public EtlRun run(String job, String trigger) {
        return run(job, trigger, false);
    }

    /** Starts a run and does it, in the caller's thread: {@link #start}, then {@link #execute}. */
    public EtlRun run(String job, String trigger, boolean full) {
        return execute(start(job, trigger), full);
    }

    /**
     * Starts a run of the job: its RUNNING row is committed in the store when this returns. A run of the job
     * under way on any replica makes this one refused ({@link JobRunningException}); a store that is down,
     * {@link io.leadsync.storage.StoreUnavailableException}.
     */
    public EtlRun start(String job, String trigger) {
        if (!JOBS.containsKey(job)) {
            throw new IllegalArgumentException("unknown job '" + job + "'; the jobs are " + JOBS.keySet());
        }
        return runs.start(job, trigger);
    }

    /**
     * Does a started run's work in the caller's thread and records how it ended. An incremental job starts at
     * its checkpoint unless {@code full}; only success moves the checkpoint, in the transaction that records it.
     */
    public EtlRun execute(EtlRun running, boolean full) {
        String job = running.job();
        List<String> columns = JOBS.get(job);
        ExportRun export = null;
        Map<String, String> moved = null;
        EtlRun finished;
        try {
            List<RecordSink> sinks = new ArrayList<>();
            if (!columns.isEmpty()) {
                sinks.add(new ExportFiles(exportDir, ExportFiles.baseName(job, running.started()), columns, json));
                database.sink(job, running.started()).ifPresent(sinks::add);
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
                moved = new java.util.TreeMap<>(checkpoint); // streams not read keep theirs
                moved.putAll(export.reached());
            }
            finished = new EtlRun(running.id(), job, running.trigger(), running.started(), Instant.now(),
                    EtlRun.Status.SUCCEEDED, export.records(), export.errors(), export.skipped(), files, null);
        } catch (Exception e) {
            if (export != null) {
                export.abort();
            }
            String reason = failures.reason(e); // a Split's wrapper left aside: the page's own failure says why
            finished = new EtlRun(running.id(), job, running.trigger(), running.started(), Instant.now(),
                    EtlRun.Status.FAILED, export == null ? 0 : export.records(), export == null ? 0 : export.errors(),
                    export == null ? List.of() : export.skipped(), List.of(), reason);
        }
        finished = runs.finish(finished, finished.status() == EtlRun.Status.SUCCEEDED ? moved : null);
        LOG.infof("ETL %s (%s): %s, %d records, %d skipped%s", job, running.trigger(), finished.status(),
                finished.records(), finished.errors(), finished.error() == null ? "" : ": " + finished.error());
        return finished;
    }

    /** Records a started run that will not be done as FAILED, saying why. */
    public void abandon(EtlRun running, String reason) {
        runs.finish(new EtlRun(running.id(), running.job(), running.trigger(), running.started(), Instant.now(),
                EtlRun.Status.FAILED, 0, 0, List.of(), List.of(), reason), null);
    }

    /** A run of the job is under way, on this replica or another. */
    public boolean isRunning(String job) {
        return runs.isRunning(job);
    }

    /** The newest runs first, of one job (null: all jobs). */
    public List<EtlRun> runs(String job, int limit) {
        return runs.list(job, limit);
    }

    /** Records a run made elsewhere (a lead import file), so GET /etl/runs lists it with the jobs' runs. */
    public void record(EtlRun run) {
        runs.record(run);
    }

    /** A run of the job is already under way. */
    public static class JobRunningException extends RuntimeException {
        JobRunningException(String job) {
            super("job '" + job + "' is already running; two runs of one job never overlap");
        }
    }
}
