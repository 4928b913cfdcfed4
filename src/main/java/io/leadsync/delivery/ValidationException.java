package io.leadsync.delivery;

/** An update that does not fit the target's live catalog; the message names the valid values. */
public class ValidationException extends RuntimeException {
    public ValidationException(String message) {
        super(message);
    }
}
