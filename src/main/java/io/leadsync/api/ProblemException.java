package io.leadsync.api;

import jakarta.ws.rs.core.Response;

/** A request the API refuses, with what is wrong said for the caller. */
public class ProblemException extends RuntimeException {

    private final Response.Status status;

    public ProblemException(Response.Status status, String detail) {
        super(detail);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }
}
