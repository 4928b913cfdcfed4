package io.leadsync.intake;

/** A lead update that cannot be accepted; the message names the field and what is wrong with it. */
public class InvalidUpdateException extends RuntimeException {
    public InvalidUpdateException(String message) {
        super(message);
    }
}
