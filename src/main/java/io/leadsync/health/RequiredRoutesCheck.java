package io.leadsync.health;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.catalog.CatalogSources;
import io.leadsync.catalog.StageCatalog;
import io.leadsync.crm.Crms;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while every route an enabled source needs is running: its stage poll and its lead
 * delivery. Live reload rejects an edit whose routes cannot be created (io.leadsync.routefiles), so this
 * check is what notices a route that is missing or stopped for any other reason, and names it.
 */
@Readiness
@ApplicationScoped
public class RequiredRoutesCheck implements HealthCheck {

    @Inject
    CamelContext camel;

    @Inject
    CatalogSources sources;

    @Inject
    StageCatalog catalog;

    @Inject
    io.leadsync.config.LeadsyncConfig config;

    @Override
    public HealthCheckResponse call() {
        boolean intake = config.intake().enabled();
        Set<String> expected = new LinkedHashSet<>(List.of("publish-catalog", "dead-letter", "lead-file"));
        if (intake) {
            expected.add("lead-file-intake");
        }
        for (String source : sources.enabled()) {
            // In a service, not run-once, its timer polls and its delivery route delivers too.
            Crms.ofSource(source).ifPresent(crm -> expected.addAll(crm.requiredRoutes(intake)));
        }
        List<String> notRunning = new ArrayList<>();
        for (String route : expected) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(route);
            if (status != ServiceStatus.Started) {
                notRunning.add(route + " (" + (status == null ? "missing: check its file under routes/" : status) + ")");
            }
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("required-routes").status(notRunning.isEmpty());
        if (!notRunning.isEmpty()) {
            response.withData("notRunning", String.join(", ", notRunning));
        }
        catalog.statuses(null).forEach(s -> response.withData(s.source(), s.status().name()));
        return response.build();
    }
}
