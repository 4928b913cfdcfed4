package io.leadsync.etl;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.storage.StoreUnavailableException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * With {@code LEADSYNC_RUN_ONCE=<job>} leadsync runs that ETL job once it has started and exits with
 * its outcome — 0 succeeded, 1 failed, 2 unknown job — through Quarkus's own exit: the one place the
 * process ends by itself. Lead intake, delivery and the stage-poll timers stay off meanwhile
 * ({@code leadsync.intake.enabled}, {@code leadsync.<crm>.polling}: {@link io.leadsync.config.SourceSwitches}).
 */
@ApplicationScoped
public class RunOnce {

    private static final Logger LOG = Logger.getLogger(RunOnce.class);

    @Inject
    LeadsyncConfig config;

    @Inject
    EtlJobs jobs;

    @Inject
    ManagedExecutor executor;

    void onStart(@Observes StartupEvent started) {
        config.runOnce().ifPresent(job -> executor.execute(() -> Quarkus.asyncExit(run(job))));
    }

    private int run(String job) {
        try {
            boolean full = config.etl().full();
            return jobs.run(job, full ? "run-once (full)" : "run-once", full).status() == EtlRun.Status.SUCCEEDED ? 0 : 1;
        } catch (StoreUnavailableException down) {
            LOG.errorf("Run-once job %s not started: the store is not available: %s", job, down.getMessage());
            return 1;
        } catch (IllegalArgumentException unknownJob) {
            LOG.error(unknownJob.getMessage());
            return 2;
        } catch (RuntimeException unexpected) {
            LOG.error("Run-once job " + job + " failed", unexpected);
            return 1;
        }
    }
}
