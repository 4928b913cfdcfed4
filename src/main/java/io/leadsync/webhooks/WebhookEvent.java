package io.leadsync.webhooks;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A lead's stage change as a CRM's webhook reported it: who sent it ({@code superfone}, {@code truto:<account>}),
 * the sender's own id and time for it, the lead's phone (E.164) and its stage in the sender's vocabulary.
 * {@code status} and {@code outcome} are what the sync flows made of it; {@code body} is the payload as received.
 */
@RegisterForReflection
public record WebhookEvent(String id, String source, String eventId, String type, String phone, String stage,
        Instant eventTime, Instant receivedAt, Status status, String outcome, String body) {

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
        /** No flow starts at its source. */
        IGNORED
    }
}
