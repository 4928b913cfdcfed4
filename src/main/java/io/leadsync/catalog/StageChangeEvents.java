package io.leadsync.catalog;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.events.EventEndpoints;
import io.leadsync.model.StageChange;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.jboss.logging.Logger;

/**
 * Sends a poll's change events, one JSON message each, to {@code leadsync.stages.changes-uri}.
 * The catalog is already published when this runs, so an endpoint that fails (a Kafka broker that is
 * down) never fails the poll: the events not sent are logged in full and counted instead. After the
 * first failure the rest of that poll's events are not tried, so a broker that is down costs a poll
 * one time-out, not one per event (the first poll of a source has an event per stage).
 */
@ApplicationScoped
@RegisterForReflection // the publish-catalog route calls it by name
@Named("stageChangeEvents")
public class StageChangeEvents {

    private static final Logger LOG = Logger.getLogger(StageChangeEvents.class);

    @Inject
    LeadsyncConfig config;

    @Inject
    EventEndpoints endpoints;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    public void send(List<StageChange> changes) throws JsonProcessingException {
        String uri = config.stages().changesUri();
        for (int i = 0; i < changes.size(); i++) {
            StageChange change = changes.get(i);
            String event = json.writeValueAsString(change);
            // Keyed by source: one source's events keep their order.
            String failure = endpoints.send(uri, change.source(), event);
            if (failure != null) {
                notSent(changes.subList(i, changes.size()), failure);
                return;
            }
            count("sent", 1);
        }
    }

    private void notSent(List<StageChange> lost, String failure) throws JsonProcessingException {
        count("failed", lost.size());
        LOG.errorf("%d stage change event(s) of %s could not be sent to leadsync.stages.changes-uri (%s); "
                + "they are still in GET /stages/changes until the history rolls over. The events:",
                lost.size(), lost.get(0).source(), failure);
        for (StageChange change : lost) {
            LOG.errorf("not sent: %s", json.writeValueAsString(change));
        }
    }

    private void count(String outcome, int n) {
        metrics.counter("leadsync.stage.change.events", "outcome", outcome).increment(n);
    }
}
