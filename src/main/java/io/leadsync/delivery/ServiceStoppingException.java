package io.leadsync.delivery;

/**
 * Thrown instead of starting a delivery attempt while the service stops: the update stays in the inbox, PENDING,
 * and is delivered after the restart. Never a dead letter (routes/lead-delivery.yaml does not handle it).
 */
public class ServiceStoppingException extends RuntimeException {

    public ServiceStoppingException() {
        super("leadsync is stopping: the update stays pending and is delivered after the restart", null, false, false);
    }
}
