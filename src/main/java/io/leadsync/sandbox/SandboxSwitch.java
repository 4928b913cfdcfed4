package io.leadsync.sandbox;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Hides every fake CRM (a resource marked {@link SandboxFake}, in its CRM's package) with 404 unless {@code leadsync.sandbox.enabled} is true. */
public class SandboxSwitch {

    /** A provider: filters are built at static init, before run-time config exists. */
    @Inject
    Provider<SandboxConfig> config;

    @ServerRequestFilter
    public void hideWhenDisabled(ResourceInfo resource) {
        Class<?> target = resource.getResourceClass();
        if (target != null && target.isAnnotationPresent(SandboxFake.class)
                && !config.get().enabled()) {
            throw new NotFoundException();
        }
    }
}
