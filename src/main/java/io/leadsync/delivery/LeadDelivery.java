package io.leadsync.delivery;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.storage.TimeOrderedIds;
import io.leadsync.catalog.StageCatalog;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.AnswerTooLargeException;
import io.leadsync.crm.CrmCallException;
import io.leadsync.crm.CrmFailures;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.DeadLetter.Reason;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.leadsync.routefiles.JqSteps;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

/**
 * The steps of the delivery route that are not a CRM's own: starting an accepted update handed over by
 * {@link DeliveryQueue}, checking and mapping it, recording attempts (and honouring Retry-After), and ending it as
 * DELIVERED, SKIPPED (see {@link ReadBeforeWrite}) or as a dead letter. The CRM calls themselves are the routes'
 * HTTP endpoints.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("leadDelivery")
public class LeadDelivery {

    /** Exchange properties the delivery routes share with the CRM beans. */
    public static final String ACCEPTED = "accepted";
    public static final String UPDATE = "update";
    public static final String TARGET_LEAD_ID = "targetLeadId";
    public static final String REMARKS = "remarks";
    public static final String DROPPED = "dropped";
    public static final String RECEIPT = "receipt";
    /** Set by {@link ReadBeforeWrite}: the target already has the update's stage, so it is not written (a Remark). */
    public static final String UNCHANGED = "unchanged";

    private static final Logger LOG = Logger.getLogger(LeadDelivery.class);

    @Inject
    LeadStore store;

    @Inject
    StageMapping mapping;

    @Inject
    StageCatalog catalogs;

    @Inject
    ObjectMapper json;

    @Inject
    LeadsyncConfig config;

    @Inject
    CrmFailures failures;

    @Inject
    DeliveryMetrics metrics;

    /**
     * True when the update may start; throws when the service is stopping, so the update stays PENDING in the
     * store (the route leaves that exception unhandled) rather than being cut off mid-call.
     */
    public boolean open(Exchange exchange) {
        if (exchange.getContext().isStopping()) {
            throw new ServiceStoppingException();
        }
        return exchange.getProperty(ACCEPTED) != null;
    }

    /** The receipt so far: set by the delivery queue and by each failed attempt, so no step re-reads it. */
    private static Receipt receipt(Exchange exchange, Accepted accepted) {
        Receipt receipt = exchange.getProperty(RECEIPT, Receipt.class);
        return receipt != null ? receipt : Receipt.pending(accepted.id(), accepted.update().target(), accepted.acceptedAt());
    }

    /** Checks the update against the target's live catalog and maps its stage. */
    public void prepare(Exchange exchange) {
        exchange.setProperty(UPDATE, mapping.check(exchange.getProperty(UPDATE, LeadUpdate.class)));
    }

    /**
     * The input of the routes' request mappings (variable {@code lead}): the update as it stands, as JSON ({@code phone},
     * {@code name}, {@code email}, {@code stage} in the target's vocabulary, {@code lostReason}, {@code fields},
     * {@code actions}, {@code leadId} once known), with the name also split into {@code firstName} and {@code lastName}.
     */
    public JsonNode lead(@ExchangeProperty(UPDATE) LeadUpdate update) {
        ObjectNode lead = json.valueToTree(update);
        if (update.firstName() != null) {
            lead.put("firstName", update.firstName());
        }
        if (update.lastName() != null) {
            lead.put("lastName", update.lastName());
        }
        return lead;
    }

    public void delivered(Exchange exchange) {
        Accepted accepted = exchange.getProperty(ACCEPTED, Accepted.class);
        int attempts = attempts(exchange);
        @SuppressWarnings("unchecked")
        List<Receipt.Remark> remarks = exchange.getProperty(REMARKS, List.of(), List.class);
        String leadId = exchange.getProperty(TARGET_LEAD_ID, String.class);
        Receipt receipt = receipt(exchange, accepted);
        LeadUpdate dropped = exchange.getProperty(DROPPED, LeadUpdate.class);
        DeadLetter partial = dropped == null ? null
                : new DeadLetter(TimeOrderedIds.next(), accepted.id(), accepted.update().target(),
                        Reason.PARTIAL, null, attempts, Instant.now(),
                        "the CRM dropped part of the update: " + remarks.stream()
                                .map(r -> r.field() + ": " + r.remark()).collect(java.util.stream.Collectors.joining("; ")),
                        dropped, accepted.origin(), null);
        store.delivered(receipt.delivered(attempts, leadId, remarks, Instant.now()), partial);
        if (partial != null) {
            metrics.deadLettered(accepted.update().target(), Reason.PARTIAL);
        }
        metrics.delivered(accepted.update().target(), accepted.acceptedAt());
    }

    /** Read before write found nothing to change: SKIPPED, with the remark that says why, and no write made. */
    public void skipped(Exchange exchange) {
        Accepted accepted = exchange.getProperty(ACCEPTED, Accepted.class);
        Receipt.Remark why = exchange.getProperty(UNCHANGED, Receipt.Remark.class);
        String leadId = exchange.getProperty(TARGET_LEAD_ID, String.class);
        store.skipped(receipt(exchange, accepted).skipped(attempts(exchange), leadId, why, Instant.now()));
        metrics.skipped(accepted.update().target());
    }

    /** Runs when a step throws: counts the attempt in the receipt and honours the CRM's Retry-After. */
    public void attemptFailed(Exchange exchange) {
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Accepted accepted = exchange.getProperty(ACCEPTED, Accepted.class);
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        if (failure instanceof CrmCallException call && call.retryAfterMillis() != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY,
                    Math.min(call.retryAfterMillis(), config.delivery().retryAfterCap().toMillis()));
        }
        if (accepted != null && failure != null) {
            // Camel has already counted this failure in the redelivery counter when it calls us.
            // Camel counts on the in message; an answer broken off mid-body can leave an out message without it.
            int attempts = Math.max(1, Math.max(exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class),
                    exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)));
            Receipt attempted = receipt(exchange, accepted).attempted(attempts,
                    failures.reason(failure, accepted.update().target()), Instant.now());
            store.attempted(attempted);
            exchange.setProperty(RECEIPT, attempted);
        }
    }

    /** The dead-letter channel's step: the update is parked, durably, with the CRM's own reason. */
    public void park(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Accepted accepted = exchange.getProperty(ACCEPTED, Accepted.class);
        if (accepted == null) {
            LOG.errorf("A delivery without its update failed: %s", failures.reason(failure));
            return;
        }
        LeadUpdate update = exchange.getProperty(UPDATE, LeadUpdate.class);
        Reason reason = reason(failure);
        Integer status = failure instanceof CrmCallException call ? call.status() : null;
        String error = failures.reason(failure, update.target());
        Receipt receipt = receipt(exchange, accepted);
        // attemptFailed counted every attempt in the receipt; a VALIDATION failure never reached the CRM.
        int attempts = reason == Reason.VALIDATION ? 0 : Math.max(receipt.attempts(), 1);
        store.deadLettered(receipt.deadLettered(attempts, reason + ": " + error, Instant.now()),
                new DeadLetter(TimeOrderedIds.next(), accepted.id(), update.target(), reason, status, attempts,
                        Instant.now(), error, accepted.update(), accepted.origin(), null));
        metrics.deadLettered(update.target(), reason);
        if (reason == Reason.UNAUTHORIZED) {
            catalogs.reportFailure(update.target(), "lead delivery was refused: " + error);
        }
        LOG.warnf("Lead update %s to %s is a dead letter (%s): %s", accepted.id(), update.target(), reason, error);
    }

    private static Reason reason(Throwable failure) {
        if (failure instanceof ValidationException || failure instanceof JqSteps.JqStepException) {
            return Reason.VALIDATION;
        }
        if (failure instanceof CrmCallException call) {
            return call.status() == 401 ? Reason.UNAUTHORIZED : call.isTransient() ? Reason.UNREACHABLE : Reason.REJECTED;
        }
        if (failure instanceof io.leadsync.crm.MalformedAnswerException || failure instanceof AnswerTooLargeException) {
            return Reason.REJECTED; // the CRM answered, with what no retry will change
        }
        return Reason.UNREACHABLE;
    }

    /** Attempts so far, once the current one succeeded: the redeliveries plus the first try. */
    private static int attempts(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
    }
}
