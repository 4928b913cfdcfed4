package io.leadsync.crm.truto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Truto's credential for every call the route files make to it: a secret, so never written in a route file. */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("trutoApi")
public class TrutoApi {

    @Inject
    TrutoConfig config;

    /** The Authorization header, "Bearer" and the token. */
    public String authorization() {
        return "Bearer " + config.truto().token().orElse("");
    }
}
