package io.leadsync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.catalog.StageCatalog;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.config.Mappings;
import io.leadsync.crm.CrmCallException;
import io.leadsync.crm.CrmFailures;
import io.leadsync.delivery.Accepted;
import io.leadsync.delivery.LeadStore;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.SourceLead;
import io.leadsync.webhooks.PhoneNumbers;
import io.leadsync.webhooks.WebhookEvent;
import io.leadsync.webhooks.WebhookEvent.Status;
import io.leadsync.webhooks.WebhookEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
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
    /** The exchange property that holds the event being carried (routes/sync-flows.yaml). */
    public static final String EVENT = "syncEvent";
    /** Events looked at per run; the next run takes the rest. */
    private static final int BATCH = 200;

    @Inject
    ObjectMapper json;

    @Inject
    LeadsyncConfig config;

    @Inject
    Mappings mappings;

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

    @Inject
    CrmFailures failures;

    @Inject
    StageCatalog catalogs;

    private volatile List<Flow> flows;
    /** Sources whose lead reads failed, and until when their events wait. */
    private final Map<String, Instant> pausedSources = new ConcurrentHashMap<>();
    private Instant nextPrune = Instant.MIN;

    /** The flows of leadsync.sync.flows (checked at start-up by SyncConfigCheck). */
    public List<Flow> flows() {
        List<Flow> known = flows;
        if (known == null) {
            known = Flow.parse(mappings);
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
        pausedSources.values().removeIf(now::isAfter);
        return events.pending(BATCH, pausedSources.keySet());
    }

    /**
     * The lead a source read found, as the route's mapping {@code <crm>-lead-source} gave it ({@code id}, {@code phone},
     * {@code stage}, {@code name}, {@code email}): what the flows carry. The phone is normalised to E.164, blanks are
     * none, and a lead without an id is the event's.
     */
    public SourceLead read(JsonNode lead, @ExchangeProperty(EVENT) WebhookEvent event) {
        if (lead == null || !lead.isObject()) {
            throw new IllegalArgumentException("a <crm>-lead-source mapping must give an object with id, phone, stage, name"
                    + " and email, not " + (lead == null ? "nothing" : lead.getNodeType().toString().toLowerCase()));
        }
        String id = text(lead, "id");
        return new SourceLead(id != null ? id : event.leadId(), PhoneNumbers.e164(text(lead, "phone")), text(lead, "stage"),
                text(lead, "name"), text(lead, "email"), null);
    }

    private static String text(JsonNode lead, String field) {
        JsonNode value = lead.path(field);
        return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    /** The input of a source read's request mapping (variable {@code lead}): the event's source, lead id and phone. */
    public JsonNode lead(@ExchangeProperty(EVENT) WebhookEvent event) {
        ObjectNode lead = json.createObjectNode();
        lead.put("source", event.source());
        lead.put("leadId", event.leadId());
        lead.put("phone", event.phone());
        return lead;
    }

    /**
     * Whether the event's lead is to be read from its source now. An event no flow starts from is finished IGNORED
     * here, with no read. While its source's reads are failing the event waits (PENDING) for a later run, and so do
     * the source's later events (not even fetched, so they never crowd out other sources' events), so each lead's
     * changes keep their order.
     */
    public boolean due(@ExchangeProperty(EVENT) WebhookEvent event) {
        if (flows().stream().noneMatch(f -> f.source().equals(event.source()))) {
            finish(event, Status.IGNORED, "no flow starts at " + event.source());
            return false;
        }
        return !pausedSources.containsKey(event.source());
    }

    /**
     * The dead-letter step of a read from a source (routes/sync-flows.yaml): its retries are spent. A transient failure
     * or a refused credential (401) leaves the event PENDING and pauses its source's events for
     * {@code leadsync.delivery.retry.max-delay-ms}; any other refusal (403, 400, an answer that is no lead) is the
     * event's outcome, IGNORED with the CRM's words.
     */
    public void readFailed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure,
            @ExchangeProperty(EVENT) WebhookEvent event) {
        String why = "reading the lead from " + event.source() + " failed: " + failures.reason(failure, event.source());
        boolean waits = CrmFailures.isTransientFailure(failure)
                || failure instanceof CrmCallException call && call.status() == 401;
        if (waits) {
            pausedSources.put(event.source(), Instant.now().plus(config.delivery().retry().maxDelay()));
            LOG.warnf("Webhook event %s stays pending, with the later events from %s, for %d ms: %s", event.id(),
                    event.source(), config.delivery().retry().maxDelay().toMillis(), why);
            if (failure instanceof CrmCallException call && call.status() == 401) {
                catalogs.reportFailure(event.source(), why);
            }
            return;
        }
        finish(event, Status.IGNORED, why);
    }

    /**
     * Carries one event along every flow from its source, with the lead as its source shows it now ({@link SourceLead}:
     * the notification's own stage is only a hint), or records why not. The latest change wins, by each source's own
     * time: a flow skips an event older than a change of the same lead carried already from its target itself or from
     * any source that flows to that target. A flow's update carries the lead's name and e-mail too, for a target that
     * has no such lead yet (an existing one is written its stage only: io.leadsync.delivery.ReadBeforeWrite).
     */
    public void carry(@ExchangeProperty(EVENT) WebhookEvent received, @ExchangeProperty(SourceLead.PROPERTY) SourceLead lead) {
        pausedSources.remove(received.source());
        if (lead.missing() != null) {
            finish(received, Status.IGNORED, lead.missing());
            return;
        }
        WebhookEvent event = received.withLead(lead.phone() != null ? lead.phone() : received.phone(), lead.stage());
        if (event.phone() == null || event.stage() == null) {
            finish(event, Status.IGNORED, received.source() + " lead " + lead.id() + " has no "
                    + (event.phone() == null ? "phone number (leads are matched across CRMs by it)" : "stage"));
            return;
        }
        List<Flow> from = flows().stream().filter(f -> f.source().equals(event.source())).toList();
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
            LeadUpdate update = new LeadUpdate(flow.target(), null, event.phone(), lead.name(), lead.email(), event.stage(),
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
        events.finish(event, status, outcome);
        registry.counter("leadsync.sync.events", "source", event.source(), "outcome", status.name()).increment();
        if (status != Status.CARRIED) {
            LOG.infof("Webhook event %s from %s (%s, stage %s) is %s: %s", event.id(), event.source(), event.type(),
                    event.stage(), status, outcome);
        }
    }
}
