package io.leadsync.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.api.ProblemException;
import io.leadsync.api.StrictJson;
import io.leadsync.intake.IntakeGate;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.jboss.logging.Logger;

/**
 * What every CRM's webhook shares, whichever CRM sends it: each CRM's own resource ({@code POST /webhooks/<crm>}, in
 * its package io.leadsync.crm.&lt;crm&gt;) checks the gate, authenticates the raw bytes read here before anything is
 * parsed, reads its payload into {@link Incoming}s, and stores them here (committed) before it answers; an event is
 * stored once however often it is sent. The sync flows (routes/sync-flows.yaml) carry it on from the store.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

    @Inject
    WebhookEvents events;

    @Inject
    IntakeGate gate;

    /**
     * STORED, DUPLICATE (stored before: its first id) or IGNORED (nothing to carry, and why: stored with an id when the
     * sender's events are kept for the lead's history); a batch answers one of these per record in events.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String id, String status, String reason, List<Answer> events) {
    }

    /** 503 while leadsync is stopping or its store is down: nothing is taken. */
    public void checkOpen() {
        gate.checkOpen();
    }

    /** The configured webhook secret of a CRM, or 503: an event leadsync cannot authenticate is never stored. */
    public String secret(Optional<String> configured, String crm, String key) {
        return configured.filter(s -> !s.isBlank()).orElseThrow(() -> new ProblemException(Status.SERVICE_UNAVAILABLE,
                "webhooks from " + crm + " are not taken: " + key + " is not set, and an event leadsync cannot authenticate is never stored"));
    }

    /** The 401 for a webhook that does not prove its sender, logged with why (which header, never its value). */
    public ProblemException unauthorized(String sender, String why) {
        LOG.warnf("A %s webhook was refused: %s", sender, why);
        return new ProblemException(Status.UNAUTHORIZED, why);
    }

    /** The raw body, at most 1 MiB (413) and not empty (400): a signature is over these bytes. */
    public byte[] read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(StrictJson.MAX_BYTES + 1);
        if (bytes.length > StrictJson.MAX_BYTES) {
            throw new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "body is larger than 1 MiB");
        }
        if (bytes.length == 0) {
            throw new ProblemException(Status.BAD_REQUEST, "body is empty: send the CRM's event as JSON");
        }
        return bytes;
    }

    /** The body as strict JSON, or a 400 problem saying where it is not. */
    public JsonNode json(byte[] bytes) {
        try {
            return StrictJson.read(StrictJson.utf8(bytes, bytes.length));
        } catch (StrictJson.InvalidJsonException e) {
            throw new ProblemException(Status.BAD_REQUEST, "body " + e.getMessage());
        }
    }

    /** Stores one event (or answers why not), committed before the answer. */
    public Answer store(String sender, Incoming incoming, byte[] bytes) {
        if (!incoming.stored()) {
            LOG.debugf("A %s webhook was not stored: %s", sender, incoming.ignored());
            return new Answer(null, "IGNORED", incoming.ignored(), null);
        }
        WebhookEvents.Stored stored = events.store(incoming, StrictJson.utf8(bytes, bytes.length));
        if (incoming.ignored() != null) {
            LOG.infof("A %s webhook (event %s) carries nothing: %s", sender, stored.id(), incoming.ignored());
            return new Answer(stored.id(), "IGNORED", incoming.ignored(), null);
        }
        return new Answer(stored.id(), stored.duplicate() ? "DUPLICATE" : "STORED", null, null);
    }

    /**
     * Stores the events of one body: one is answered as itself; a batch with one answer per record, and overall
     * STORED when a record was, else DUPLICATE when one was stored before, else IGNORED.
     */
    public Answer storeAll(String sender, List<Incoming> incoming, byte[] bytes) {
        if (incoming.size() == 1) {
            return store(sender, incoming.get(0), bytes);
        }
        List<Answer> answers = incoming.stream().map(record -> store(sender, record, bytes)).toList();
        List<String> statuses = answers.stream().map(Answer::status).toList();
        return new Answer(null, statuses.contains("STORED") ? "STORED" : statuses.contains("DUPLICATE") ? "DUPLICATE"
                : "IGNORED", null, answers);
    }
}
