package io.leadsync.paging;

import io.leadsync.crm.CrmFailures;

/** A walk through pages that would not end, or would not end well; the message says why. */
public class PageWalkException extends RuntimeException implements CrmFailures.Worded {
    public PageWalkException(String message) {
        super(message);
    }
}
