package io.leadsync.webhooks;

import java.time.Instant;

/**
 * What a webhook payload says, read and checked: a lead's stage change to store, or why the event is not one
 * (another event type, another resource: answered and not stored).
 */
record Incoming(String source, String eventId, String type, String phone, String stage, Instant eventTime,
        String ignored) {

    static Incoming ignored(String why) {
        return new Incoming(null, null, null, null, null, null, why);
    }

    /** A payload that is not what its sender documents; the message names the field. */
    static class InvalidPayloadException extends RuntimeException {
        InvalidPayloadException(String message) {
            super(message);
        }
    }
}
