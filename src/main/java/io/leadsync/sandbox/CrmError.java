package io.leadsync.sandbox;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A fake CRM's refusal, thrown from anywhere in a fake and answered with that CRM's own status, headers
 * and body (see {@link Mapper}), not with leadsync's problem+json.
 */
public final class CrmError extends RuntimeException {

    private final transient Response response;

    public CrmError(Response response) {
        super(null, null, false, false); // an ordinary answer: no stack trace
        this.response = response;
    }

    public Response response() {
        return response;
    }

    public static class Mapper {

        @ServerExceptionMapper
        public Response answer(CrmError error) {
            return error.response();
        }
    }
}
