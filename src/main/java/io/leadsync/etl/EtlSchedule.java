package io.leadsync.etl;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.cluster.Leadership;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.storage.StoreUnavailableException;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * The jobs' cron schedules from config ({@code leadsync.etl.<job>.cron}, "off" disables one): these of the shared jobs;
 * a CRM's export of its leads ({@code <crm>-leads}) is scheduled by its package, through {@link #runOnLeader}. A
 * schedule skips its turn while the job is still running, and never runs in run-once mode.
 * <p>
 * The CRM exports run on the leader only ({@link Leadership}): with several replicas each would otherwise
 * read every CRM and write the same rows. lead-import is not gated: it reads this replica's own
 * {@code <data-dir>/imports}, which no other replica can see, so each replica imports what was put there.
 */
@ApplicationScoped
public class EtlSchedule {

    private static final Logger LOG = Logger.getLogger(EtlSchedule.class);

    @Inject
    EtlJobs jobs;

    @Inject
    LeadsyncConfig config;

    @Inject
    Leadership leadership;

    @Scheduled(identity = "lead-import", cron = "${leadsync.etl.lead-import.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void leadImport() {
        run("lead-import");
    }

    @Scheduled(identity = "stages", cron = "${leadsync.etl.stages.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void stages() {
        runOnLeader("stages");
    }

    /** A scheduled run of a job that reads a CRM: on the leader only. A CRM's export schedules itself (its package). */
    public void runOnLeader(String job) {
        if (config.runOnce().isEmpty() && !leadership.isLeader()) {
            LOG.debugf("Scheduled run of %s skipped: this replica is not the leader", job);
            return;
        }
        run(job);
    }

    private void run(String job) {
        if (config.runOnce().isPresent()) {
            return;
        }
        try {
            jobs.run(job, "schedule");
        } catch (EtlJobs.JobRunningException busy) {
            LOG.infof("Scheduled run of %s skipped: %s", job, busy.getMessage());
        } catch (StoreUnavailableException down) {
            LOG.errorf("Scheduled run of %s not started: the store is not available: %s", job, down.getMessage());
        }
    }
}
