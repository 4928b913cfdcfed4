package io.leadsync.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while every enabled source's poll routes are running. A route file edited into a route
 * Camel cannot create removes the old route on live reload and leaves nothing in its place; this check
 * is what notices, and names the route.
 */
@Readiness
@ApplicationScoped
public class StagePollRoutesCheck implements HealthCheck {

    @Inject
    CamelContext camel;

    @Inject
    CatalogSources sources;

    @Inject
    StageCatalog catalog;

    @Override
    public HealthCheckResponse call() {
        Set<String> expected = new LinkedHashSet<>();
        expected.add("publish-catalog");
        for (String source : sources.enabled()) {
            String crm = source.split(":", 2)[0];
            expected.add(crm + "-stages-timer");
            expected.add(crm + "-stages");
        }
        List<String> notRunning = new ArrayList<>();
        for (String route : expected) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(route);
            if (status != ServiceStatus.Started) {
                notRunning.add(route + " (" + (status == null ? "missing: check its file under routes/" : status) + ")");
            }
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named("stage-poll-routes").status(notRunning.isEmpty());
        if (!notRunning.isEmpty()) {
            response.withData("notRunning", String.join(", ", notRunning));
        }
        catalog.statuses(null).forEach(s -> response.withData(s.source(), s.status().name()));
        return response.build();
    }
}
