package io.leadsync.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the API as problem+json: ours, JAX-RS's own (404, 405, 415 …) and the unexpected. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refused(ProblemException e, UriInfo uri) {
        Response problem = Problem.response(e.status(), e.getMessage(), uri.getPath());
        return e.retryAfterSeconds() == null ? problem
                : Response.fromResponse(problem).header("Retry-After", e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.INTERNAL_SERVER_ERROR;
        }
        return Problem.response(status, e.getMessage(), uri.getPath());
    }

    /** The store is down or full: nothing was kept, so the client should try again shortly. */
    @ServerExceptionMapper
    public Response storeUnavailable(io.leadsync.storage.StoreUnavailableException e, UriInfo uri) {
        return Response.fromResponse(Problem.response(Response.Status.SERVICE_UNAVAILABLE,
                "the store is not available, nothing was kept: " + e.getMessage(), uri.getPath()))
                .header("Retry-After", 5).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure answering %s", uri.getPath());
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR,
                "leadsync failed to answer; the service log has the details", uri.getPath());
    }
}
