package io.leadsync.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.ws.rs.core.Response.Status;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * quarkus.http.limits.max-body-size refuses a larger body with a bare 413; this answers the same refusal,
 * for a declared Content-Length, as the problem+json every other error of the API is. It runs just before
 * Quarkus's own limit, which stays the guard for bodies sent without a length.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize max;

    void install(@Observes Router router, ObjectMapper json) throws JsonProcessingException {
        long limit = max.asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > limit) {
                String detail = "body is larger than " + limit / 1024 + " KiB (it declares " + length + " bytes)";
                Problem problem = new Problem("about:blank", Status.REQUEST_ENTITY_TOO_LARGE.getReasonPhrase(), 413, detail,
                        ctx.request().path());
                String body;
                try {
                    body = json.writeValueAsString(problem);
                } catch (JsonProcessingException e) {
                    body = "{\"status\":413}";
                }
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close").end(body);
                return;
            }
            ctx.next();
        });
    }
}
