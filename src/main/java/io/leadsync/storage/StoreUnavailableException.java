package io.leadsync.storage;

/** The store cannot be written or read now (database down, disk full or read-only): callers answer 503 and keep nothing half-done. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String reason) {
        super(reason);
    }
}
