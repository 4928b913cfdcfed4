package io.leadsync.api;

import jakarta.ws.rs.core.Response;

/** A request the API refuses, with what is wrong said for the caller (and, for a 503, when to try again). */
public class ProblemException extends RuntimeException {

    private final Response.Status status;
    private final Integer retryAfterSeconds;

    public ProblemException(Response.Status status, String detail) {
        this(status, detail, null);
    }

    public ProblemException(Response.Status status, String detail, Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Response.Status status() {
        return status;
    }

    /** The answer's Retry-After header, in seconds; null for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
