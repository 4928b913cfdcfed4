package io.leadsync.delivery;

import io.leadsync.crm.CrmFailures;

/** An update that does not fit the target's live catalog; the message names the valid values. */
public class ValidationException extends RuntimeException implements CrmFailures.Worded {
    public ValidationException(String message) {
        super(message);
    }
}
