package io.leadsync.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.events.EventEndpoints;
import io.leadsync.webhooks.WebhookEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * Sends every change a sync flow carried, one JSON message each, to {@code leadsync.leads.changes-uri} (like the
 * stage change events of io.leadsync.catalog.StageChangeEvents). The event is already CARRIED when this runs, so an
 * endpoint that fails never holds the flows up: the message not sent is logged in full and counted instead.
 */
@ApplicationScoped
public class LeadChangeEvents {

    private static final Logger LOG = Logger.getLogger(LeadChangeEvents.class);

    @Inject
    LeadsyncConfig config;

    @Inject
    EventEndpoints endpoints;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    /** The carried event and the lead updates it became (their ids and targets); nothing when no URI is set. */
    void send(WebhookEvent event, List<Map<String, String>> updates) {
        String uri = config.leads().changesUri().filter(u -> !u.isBlank()).orElse(null);
        if (uri == null) {
            return;
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("event", event.id());
        change.put("source", event.source());
        change.put("type", event.type());
        change.put("phone", event.phone());
        change.put("stage", event.stage());
        change.put("changedAt", event.eventTime().toString());
        change.put("updates", updates);
        String message;
        try {
            message = json.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a lead change event cannot be written as JSON", e);
        }
        // Keyed by phone: one lead's changes keep their order.
        String failure = endpoints.send(uri, event.phone(), message);
        if (failure != null) {
            metrics.counter("leadsync.lead.change.events", "outcome", "failed").increment();
            LOG.errorf("A lead change event could not be sent to leadsync.leads.changes-uri (%s); the change itself is"
                    + " carried (GET /webhooks/events/%s). Not sent: %s", failure, event.id(), message);
            return;
        }
        metrics.counter("leadsync.lead.change.events", "outcome", "sent").increment();
    }
}
