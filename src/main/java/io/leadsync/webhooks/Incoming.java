package io.leadsync.webhooks;

import java.time.Instant;

/**
 * What a webhook payload says, read and checked: a lead's change to store, or why the event is not one.
 * {@code phone} and {@code stage} are what the payload hints (either may be null): the sync flows read the lead from
 * its source before carrying it, and {@code leadId} is the source's id of the lead when the payload names only that.
 * {@code identifiedByBody}: the sender gives no event id, so the id is the body's hash (a repeat of the lead's latest
 * event is a retry; a repeat of an older one after another change is a new change). {@code ignored}: why the event
 * carries nothing; with a {@code source} it is still stored (as IGNORED) so the lead's history shows it.
 */
public record Incoming(String source, String eventId, String type, String phone, String stage, String leadId,
        Instant eventTime, boolean identifiedByBody, String ignored) {

    /** Answered and not stored. */
    public static Incoming ignored(String why) {
        return new Incoming(null, null, null, null, null, null, null, false, why);
    }

    /** Answered 200 IGNORED and stored as such, so GET /webhooks/events shows what came and why it carried nothing. */
    public static Incoming ignored(String source, String eventId, String type, Instant eventTime, String why) {
        return new Incoming(source, eventId, type, null, null, null, eventTime, false, why);
    }

    public boolean stored() {
        return source != null;
    }

    /** A payload that is not what its sender documents; the message names the field. */
    public static class InvalidPayloadException extends RuntimeException {
        public InvalidPayloadException(String message) {
            super(message);
        }
    }
}
