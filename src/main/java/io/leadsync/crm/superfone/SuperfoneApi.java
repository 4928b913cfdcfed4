package io.leadsync.crm.superfone;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Superfone's credential for every call the route files make to it: a secret, so never written in a route file. */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("superfoneApi")
public class SuperfoneApi {

    @Inject
    SuperfoneConfig config;

    /** The x-api-key header, the API key. */
    public String apiKey() {
        return config.superfone().apiKey().orElse("");
    }
}
