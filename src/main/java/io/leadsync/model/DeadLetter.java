package io.leadsync.model;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An update leadsync could not deliver, kept until it is replayed or deleted. {@code error} is the
 * CRM's own code and message, or leadsync's reason (VALIDATION names the valid values). {@code origin}
 * says where the update came from ("POST /leads", "file leads.csv line 7"); {@code raw} holds an intake
 * line that could not even be read as an update (then {@code update} is null).
 */
@RegisterForReflection
public record DeadLetter(String id, String updateId, String target, Reason reason, Integer httpStatus, int attempts,
        Instant failedAt, String error, LeadUpdate update, String origin, String raw) {

    public enum Reason {
        /** The update does not fit the target's live catalog, or could not be read at all; nothing was sent. */
        VALIDATION,
        /** The CRM refused it (4xx); not retried. */
        REJECTED,
        /** The CRM kept failing (5xx, 429, time-outs) until the retries ran out. */
        UNREACHABLE,
        /** The CRM rejected the credentials (401). */
        UNAUTHORIZED,
        /** Delivered, but the CRM dropped part of it; {@code update} holds exactly what was dropped. */
        PARTIAL
    }
}
