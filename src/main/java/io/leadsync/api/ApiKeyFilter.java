package io.leadsync.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.Crm;
import io.leadsync.crm.Crms;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * When {@code leadsync.api-key} is set, the service's own API needs it as {@code X-Api-Key}.
 * Health, metrics ({@code /q/…}), the demo sandbox (which checks the CRMs' own credentials), the CRMs'
 * webhooks (a shared secret or a signature of their own, io.leadsync.webhooks) and the console (which asks for the
 * key once and keeps a session, io.leadsync.console) are not part of that API.
 */
@ApplicationScoped
public class ApiKeyFilter {

    /** What the CRMs call: they cannot send leadsync's key, and prove themselves otherwise. */
    private static final java.util.Set<String> WEBHOOKS = Crms.ALL.stream().filter(Crm::sendsWebhooks)
            .map(crm -> "/webhooks/" + crm.name()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    @Inject
    LeadsyncConfig config;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> requireKey(ContainerRequestContext request) {
        Optional<String> key = config.apiKey().filter(k -> !k.isBlank());
        String path = request.getUriInfo().getPath();
        if (key.isEmpty() || path.startsWith("/q/") || path.startsWith("/sandbox/") || WEBHOOKS.contains(path)
                || path.equals("/console") || path.startsWith("/console/")) {
            return Optional.empty();
        }
        String given = request.getHeaderString("X-Api-Key");
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                key.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Problem.response(Response.Status.UNAUTHORIZED,
                given == null ? "header X-Api-Key is required" : "header X-Api-Key does not match leadsync.api-key",
                path));
    }
}
