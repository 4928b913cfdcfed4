package io.leadsync.storage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The store cannot be written or read now (database down, disk full or read-only): callers answer 503 and keep nothing half-done. */
@RegisterForReflection // routes/*.yaml name it in onException: loaded by name
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String reason) {
        super(reason);
    }
}
