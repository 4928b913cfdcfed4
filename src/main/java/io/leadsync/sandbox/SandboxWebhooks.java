package io.leadsync.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jboss.logging.Logger;

/**
 * A fake CRM's webhook, sent in the background (the CRM call that caused it does not wait) to this same server, as
 * the real CRM sends it once configured: a change made in the sandbox reaches the sync flows as a real one would.
 */
public final class SandboxWebhooks {

    private static final Logger LOG = Logger.getLogger(SandboxWebhooks.class);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SandboxWebhooks() {
    }

    /** POSTs the JSON body to {@code path} of the server at {@code base} with the given header name/value pairs. */
    public static void send(URI base, String path, String what, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
            if (failure != null || answer.statusCode() != 200) {
                LOG.warnf("The sandbox's %s was not taken: %s", what,
                        failure != null ? failure.toString() : answer.statusCode() + " " + answer.body());
            }
        });
    }
}
