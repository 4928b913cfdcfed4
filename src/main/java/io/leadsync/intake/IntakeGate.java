package io.leadsync.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.ProblemException;
import io.leadsync.config.LeadsyncConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import org.jboss.logging.Logger;

/**
 * Whether the API takes new lead updates: not in run-once mode, and not from the moment the service is told to
 * stop (SIGTERM starts Quarkus's shutdown delay, {@code quarkus.shutdown.delay}, while readiness already says
 * DOWN). A refused caller gets 503 with Retry-After, and sends again to a replica that runs (or to this one,
 * restarted); whatever was accepted before is on disk and is delivered.
 */
@ApplicationScoped
public class IntakeGate {

    /** Long enough for a restart or for a load balancer to move traffic to another replica. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(IntakeGate.class);

    @Inject
    LeadsyncConfig config;

    private volatile boolean stopping;

    void stopping(@Observes ShutdownDelayInitiatedEvent event) {
        close();
    }

    void stopping(@Observes ShutdownEvent event) {
        close();
    }

    private void close() {
        if (!stopping) {
            stopping = true;
            LOG.info("Lead intake closed: leadsync is stopping; accepted updates stay pending until the next start");
        }
    }

    /** Refuses with a 503 problem unless new updates are taken. */
    public void checkOpen() {
        if (!config.intake().enabled()) {
            throw new ProblemException(Status.SERVICE_UNAVAILABLE, "lead intake is closed while leadsync runs a job once ("
                    + config.runOnce().orElse("") + ")");
        }
        if (stopping) {
            throw new ProblemException(Status.SERVICE_UNAVAILABLE,
                    "leadsync is stopping: send the update again in a few seconds", RETRY_AFTER_SECONDS);
        }
    }
}
