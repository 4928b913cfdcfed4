package io.leadsync.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes the route files name as text (exception types of the error handlers), which a native image
 * can only load by name if they are registered.
 */
@RegisterForReflection(targets = { org.apache.camel.http.base.HttpOperationFailedException.class,
        java.io.IOException.class, java.lang.Exception.class, io.leadsync.crm.CrmCallException.class,
        io.leadsync.delivery.CatalogNotReadyException.class,
        io.leadsync.delivery.ServiceStoppingException.class, io.leadsync.storage.StoreUnavailableException.class })
final class RouteClasses {
    private RouteClasses() {
    }
}
