package io.leadsync;

import jakarta.inject.Inject;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.etl.EtlJobs;
import io.leadsync.etl.EtlRun;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.apache.camel.quarkus.core.CamelRuntime;

/**
 * leadsync runs as a service, or — with {@code LEADSYNC_RUN_ONCE=<job>} — runs one ETL job and exits
 * with its outcome (0 succeeded, 1 failed, 2 unknown job): the one place the process ends by itself.
 */
@QuarkusMain
public class LeadsyncMain implements QuarkusApplication {

    @Inject
    LeadsyncConfig config;

    @Inject
    EtlJobs jobs;

    @Inject
    CamelRuntime camel;

    public static void main(String... args) {
        Quarkus.run(LeadsyncMain.class, args);
    }

    @Override
    public int run(String... args) {
        camel.start(args); // what Camel Quarkus's own main would do
        if (config.runOnce().isEmpty()) {
            return camel.waitForExit();
        }
        try {
            return jobs.run(config.runOnce().get(), "run-once").status() == EtlRun.Status.SUCCEEDED ? 0 : 1;
        } catch (IllegalArgumentException unknownJob) {
            org.jboss.logging.Logger.getLogger(LeadsyncMain.class).error(unknownJob.getMessage());
            return 2;
        }
    }
}
