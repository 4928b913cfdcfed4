package io.leadsync.delivery;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadsync.storage.StoreUnavailableException;
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
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
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

    @Inject
    CamelContext camel;

    /**
     * True when the update may start; throws when the service is stopping, so the update stays PENDING in the
     * store (the route leaves that exception unhandled) rather than being cut off mid-call.
     */
    public boolean open(@ExchangeProperty(ACCEPTED) Accepted accepted) {
        if (camel.isStopping()) {
            throw new ServiceStoppingException();
        }
        return accepted != null;
    }

    /**
     * The receipt so far (property {@code receipt}): set by the delivery queue and by each failed attempt, so no step
     * re-reads it.
     */
    private static Receipt receipt(Receipt known, Accepted accepted) {
        return known != null ? known : Receipt.pending(accepted.id(), accepted.update().target(), accepted.acceptedAt());
    }

    /** The update checked against the target's live catalog, its stage mapped. */
    public LeadUpdate prepare(@ExchangeProperty(UPDATE) LeadUpdate update) {
        return mapping.check(update);
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

    /**
     * The update reached the CRM: DELIVERED, with the lead's id there and what the CRM remarked, and a PARTIAL dead
     * letter holding what it dropped. {@code redeliveries}: Camel's count of the retries so far.
     */
    public void delivered(@ExchangeProperty(ACCEPTED) Accepted accepted, @ExchangeProperty(RECEIPT) Receipt known,
            @ExchangeProperty(TARGET_LEAD_ID) String leadId, @ExchangeProperty(REMARKS) List<Receipt.Remark> remarked,
            @ExchangeProperty(DROPPED) LeadUpdate dropped, @Header(Exchange.REDELIVERY_COUNTER) Integer redeliveries) {
        int attempts = attempts(redeliveries);
        List<Receipt.Remark> remarks = remarked == null ? List.of() : remarked;
        Receipt receipt = receipt(known, accepted);
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
    public void skipped(@ExchangeProperty(ACCEPTED) Accepted accepted, @ExchangeProperty(RECEIPT) Receipt known,
            @ExchangeProperty(TARGET_LEAD_ID) String leadId, @ExchangeProperty(UNCHANGED) Receipt.Remark why,
            @Header(Exchange.REDELIVERY_COUNTER) Integer redeliveries) {
        store.skipped(receipt(known, accepted).skipped(attempts(redeliveries), leadId, why, Instant.now()));
        metrics.skipped(accepted.update().target());
    }

    /** Runs when a step throws: counts the attempt in the receipt and honours the CRM's Retry-After. */
    // Exchange: it sets the redelivery delay and the receipt together, and reads the counter off both messages.
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
            String why = failures.reason(failure, accepted.update().target());
            Instant now = Instant.now();
            Receipt attempted = receipt(exchange.getProperty(RECEIPT, Receipt.class), accepted).attempted(attempts, why, now);
            store.attempted(attempted, calledTheCrm(failure) ? LeadHistory.attempt(accepted.id(), now, attempts,
                    reason(failure), failure instanceof CrmCallException call ? call.status() : null, why) : null);
            exchange.setProperty(RECEIPT, attempted);
        }
    }

    /** The dead-letter channel's step: the update is parked, durably, with the CRM's own reason. */
    public void park(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure,
            @ExchangeProperty(ACCEPTED) Accepted accepted, @ExchangeProperty(UPDATE) LeadUpdate update,
            @ExchangeProperty(RECEIPT) Receipt known) {
        if (accepted == null) {
            LOG.errorf("A delivery without its update failed: %s", failures.reason(failure));
            return;
        }
        Reason reason = reason(failure);
        Integer status = failure instanceof CrmCallException call ? call.status() : null;
        String error = failures.reason(failure, update.target());
        Receipt receipt = receipt(known, accepted);
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

    /**
     * Whether the failed attempt was a CRM call (or got as far as one), and so belongs in the update's history: not a
     * wait for a catalog or for the store, a stop, or an update that failed its checks before any call.
     */
    private static boolean calledTheCrm(Throwable failure) {
        return !(failure instanceof CatalogNotReadyException || failure instanceof StoreUnavailableException
                || failure instanceof ServiceStoppingException || reason(failure) == Reason.VALIDATION);
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

    /** Attempts so far, once the current one succeeded: the redeliveries (none: null) plus the first try. */
    private static int attempts(Integer redeliveries) {
        return (redeliveries == null ? 0 : redeliveries) + 1;
    }
}
