package io.leadsync.crm.telecrm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Telecrm's credential for every call the route files make to it: a secret, so never written in a route file. */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("telecrmApi")
public class TelecrmApi {

    @Inject
    TelecrmConfig config;

    /** The Authorization header, "Bearer" and the Sync token. */
    public String authorization() {
        return "Bearer " + config.telecrm().token().orElse("");
    }
}
