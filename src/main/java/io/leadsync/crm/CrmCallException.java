package io.leadsync.crm;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A CRM answered a write with something other than 2xx. {@code description} is the CRM's own code
 * and message; {@code retryAfterMillis} is its Retry-After, when it gave one.
 */
@RegisterForReflection // routes/*.yaml name it in onException: loaded by name
public class CrmCallException extends RuntimeException implements CrmFailures.Worded {

    private final int status;
    private final String description;
    private final Long retryAfterMillis;

    public CrmCallException(int status, String description, Long retryAfterMillis) {
        super("HTTP " + status + ": " + description);
        this.status = status;
        this.description = description;
        this.retryAfterMillis = retryAfterMillis;
    }

    /** The same failure naming the call that got it, where one delivery makes several (a read before its write). */
    public CrmCallException in(String call) {
        return new CrmCallException(status, call + ": " + description, retryAfterMillis);
    }

    public int status() {
        return status;
    }

    public Long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** 429 and 5xx may succeed later; 4xx will not. */
    public boolean isTransient() {
        return CrmFailures.isTransientStatus(status);
    }
}
