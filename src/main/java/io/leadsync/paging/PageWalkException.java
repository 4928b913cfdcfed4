package io.leadsync.paging;

/** A walk through pages that would not end, or would not end well; the message says why. */
public class PageWalkException extends RuntimeException {
    public PageWalkException(String message) {
        super(message);
    }
}
