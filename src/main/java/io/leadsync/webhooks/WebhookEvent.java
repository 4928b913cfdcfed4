package io.leadsync.webhooks;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A lead's change as a CRM reported it: who sent it ({@code superfone}, {@code truto:<account>}, {@code telecrm}),
 * the sender's own id and time for it, the lead's phone (E.164), its stage in the sender's vocabulary and its id there
 * where the payload named it. Phone and stage are the payload's hints until the sync flows read the lead from its
 * source, then what that read found (null for an event that carried nothing before it was read).
 * {@code status} and {@code outcome} are what the sync flows made of it; {@code body} is the payload as received.
 */
@RegisterForReflection
public record WebhookEvent(String id, String source, String eventId, String type, String phone, String stage,
        String leadId, Instant eventTime, Instant receivedAt, Status status, String outcome, String body) {

    /** The CRM of its source: {@code truto} for {@code truto:acc-1}. */
    public String crm() {
        return source.split(":", 2)[0];
    }

    /** The event with the lead as read from its source. */
    public WebhookEvent withLead(String readPhone, String readStage) {
        return new WebhookEvent(id, source, eventId, type, readPhone, readStage, leadId, eventTime, receivedAt, status,
                outcome, body);
    }

    public enum Status {
        /** Stored, not carried yet. */
        PENDING,
        /** Accepted as a lead update for every flow from its source; outcome lists their ids. */
        CARRIED,
        /** The stage leadsync itself had just written to this CRM for this lead: not carried back. */
        ECHO,
        /**
         * For every flow from its source, a later change of the same lead (by each source's own time) was carried
         * already, from the flow's target itself or from another source that flows there.
         */
        STALE,
        /**
         * Nothing to carry: no flow starts at its source, the event is not a lead's change leadsync can use, or the
         * lead could not be read from its source; the outcome says which.
         */
        IGNORED
    }
}
