package io.leadsync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.delivery.Accepted;
import io.leadsync.delivery.LeadStore;
import io.leadsync.model.LeadUpdate;
import io.leadsync.webhooks.WebhookEvent;
import io.leadsync.webhooks.WebhookEvent.Status;
import io.leadsync.webhooks.WebhookEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.jboss.logging.Logger;

/**
 * The steps of routes/sync-flows.yaml: the flows of {@code leadsync.sync.flows}, checked at start-up, and each stored
 * webhook event carried along them as ordinary lead updates (receipt, retries, dead letters, replay), accepted
 * through the same path as POST /leads. An event's update for a target has the idempotency key
 * {@code sync:<source>:<event id>:<target>}, so an event carried again (a crash between the accept and marking it
 * CARRIED) never becomes two updates.
 */
@ApplicationScoped
@RegisterForReflection // the route calls its methods by name
@Named("syncFlows")
public class SyncFlows {

    private static final Logger LOG = Logger.getLogger(SyncFlows.class);
    /** Events looked at per run; the next run takes the rest. */
    private static final int BATCH = 200;

    @Inject
    LeadsyncConfig config;

    @Inject
    WebhookEvents events;

    @Inject
    LeadStore leads;

    @Inject
    Echoes echoes;

    @Inject
    LeadChangeEvents changeEvents;

    @Inject
    MeterRegistry registry;

    private volatile List<Flow> flows;
    private Instant nextPrune = Instant.MIN;

    /** The flows of leadsync.sync.flows (checked at start-up by io.leadsync.config.ConfigCheck). */
    public List<Flow> flows() {
        List<Flow> known = flows;
        if (known == null) {
            known = Flow.parse(config);
            flows = known;
            if (!known.isEmpty()) {
                LOG.infof("Sync flows: %s", known);
            }
        }
        return known;
    }

    /**
     * The stored events not carried yet, oldest by their senders' time first: one lead's changes in its CRM's order.
     * Finished events go after {@code leadsync.delivery.keep-done}, like the updates they became.
     */
    public List<WebhookEvent> pending() {
        Instant now = Instant.now();
        if (now.isAfter(nextPrune)) {
            nextPrune = now.plus(config.delivery().pruneInterval());
            events.prune(now.minus(config.delivery().keepDone()));
        }
        return events.pending(BATCH);
    }

    /**
     * Carries one event along every flow from its source, or records why not. The latest change wins, by each
     * source's own time: a flow skips an event older than a change of the same lead carried already from its
     * target itself or from any source that flows to that target.
     */
    public void carry(WebhookEvent event) {
        List<Flow> from = flows().stream().filter(f -> f.source().equals(event.source())).toList();
        if (from.isEmpty()) {
            finish(event, Status.IGNORED, "no flow starts at " + event.source());
            return;
        }
        Optional<String> echo = echoes.of(event);
        if (echo.isPresent()) {
            finish(event, Status.ECHO, echo.get());
            return;
        }
        List<String> outcomes = new ArrayList<>();
        List<Map<String, String>> sent = new ArrayList<>();
        for (Flow flow : from) {
            // The lead's changes the target has: its own, and those carried to it from every source.
            List<String> feeding = Stream.concat(Stream.of(flow.target()),
                    flows().stream().filter(f -> f.target().equals(flow.target())).map(Flow::source)).distinct().toList();
            Optional<Instant> later = events.lastCarried(event.phone(), feeding).filter(t -> t.isAfter(event.eventTime()));
            if (later.isPresent()) {
                outcomes.add("not for " + flow.target() + ": a later change of this lead (at " + later.get()
                        + ") was carried there already, and the latest change wins");
                continue;
            }
            LeadUpdate update = new LeadUpdate(flow.target(), null, event.phone(), null, null, event.stage(),
                    event.source(), null, null, null);
            String id = leads.accept(update, "sync:" + event.source() + ":" + event.eventId() + ":" + flow.target(),
                    Accepted.SYNC_FLOW + flow + " (webhook event " + event.id() + ")");
            outcomes.add("lead update " + id + " for " + flow.target());
            sent.add(Map.of("id", id, "target", flow.target()));
        }
        finish(event, sent.isEmpty() ? Status.STALE : Status.CARRIED, String.join("; ", outcomes));
        if (!sent.isEmpty()) {
            changeEvents.send(event, sent);
        }
    }

    private void finish(WebhookEvent event, Status status, String outcome) {
        events.finish(event.id(), status, outcome);
        registry.counter("leadsync.sync.events", "source", event.source(), "outcome", status.name()).increment();
        if (status != Status.CARRIED) {
            LOG.infof("Webhook event %s from %s (%s, stage %s) is %s: %s", event.id(), event.source(), event.type(),
                    event.stage(), status, outcome);
        }
    }
}
