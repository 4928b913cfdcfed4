package io.leadsync.delivery;

/** The target's catalog was never loaded: the update waits and is retried, nothing is guessed. */
public class CatalogNotReadyException extends RuntimeException {
    public CatalogNotReadyException(String message) {
        super(message);
    }
}
