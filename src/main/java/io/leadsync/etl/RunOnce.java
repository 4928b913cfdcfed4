package io.leadsync.etl;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.leadsync.config.LeadsyncConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * With {@code LEADSYNC_RUN_ONCE=<job>} leadsync runs that ETL job once it has started and exits with
 * its outcome — 0 succeeded, 1 failed, 2 unknown job — through Quarkus's own exit: the one place the
 * process ends by itself. Lead intake and delivery stay closed meanwhile ({@code leadsync.intake.enabled}),
 * and the stage-poll timers are stopped.
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

    @Inject
    CamelContext camel;

    void onStart(@Observes StartupEvent started) {
        config.runOnce().ifPresent(job -> {
            stopStagePollTimers(); // the process is there for one job: no polls of its own on the side
            executor.execute(() -> Quarkus.asyncExit(run(job)));
        });
    }

    private void stopStagePollTimers() {
        for (Route route : camel.getRoutes()) {
            if (route.getRouteId().endsWith("-stages-timer")) {
                try {
                    camel.getRouteController().stopRoute(route.getRouteId());
                } catch (Exception e) {
                    LOG.warnf("Run-once could not stop %s: %s", route.getRouteId(), e.getMessage());
                }
            }
        }
    }

    private int run(String job) {
        try {
            boolean full = config.etl().full();
            return jobs.run(job, full ? "run-once (full)" : "run-once", full).status() == EtlRun.Status.SUCCEEDED ? 0 : 1;
        } catch (IllegalArgumentException unknownJob) {
            LOG.error(unknownJob.getMessage());
            return 2;
        } catch (RuntimeException unexpected) {
            LOG.error("Run-once job " + job + " failed", unexpected);
            return 1;
        }
    }
}
