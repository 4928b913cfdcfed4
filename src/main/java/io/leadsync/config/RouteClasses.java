package io.leadsync.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Library classes the route files name as text (exception types of the error handlers), which a native image can
 * only load by name if they are registered. leadsync's own exceptions a route file names are registered where they
 * are declared ({@code @RegisterForReflection} on the class), so this ground-floor package names no feature.
 */
@RegisterForReflection(targets = { org.apache.camel.http.base.HttpOperationFailedException.class,
        java.io.IOException.class, java.lang.Exception.class })
final class RouteClasses {
    private RouteClasses() {
    }
}
