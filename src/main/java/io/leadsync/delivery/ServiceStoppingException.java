package io.leadsync.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Thrown instead of starting a delivery attempt while the service stops: the update stays in the store, PENDING,
 * and is delivered after the restart. Never a dead letter (routes/lead-delivery.yaml does not handle it).
 */
@RegisterForReflection // routes/*.yaml name it in onException: loaded by name
public class ServiceStoppingException extends RuntimeException {

    public ServiceStoppingException() {
        super("leadsync is stopping: the update stays pending and is delivered after the restart", null, false, false);
    }
}
