package io.leadsync.delivery;

import io.leadsync.crm.CrmFailures;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The target's catalog was never loaded: the update waits and is retried, nothing is guessed. */
@RegisterForReflection // routes/*.yaml name it in onException: loaded by name
public class CatalogNotReadyException extends RuntimeException implements CrmFailures.Worded {
    public CatalogNotReadyException(String message) {
        super(message);
    }
}
