package io.leadsync.crm;

import java.io.InterruptedIOException;

/**
 * A CRM's answer did not arrive whole within {@code leadsync.http.answer-timeout}, although bytes kept coming (so
 * the per-read response time-out never fired). A time-out like any other: worth a retry.
 */
public class AnswerTooSlowException extends InterruptedIOException {
    public AnswerTooSlowException(long timeoutMs) {
        super("time-out: the whole answer did not arrive within " + timeoutMs
                + " ms (leadsync.http.answer-timeout); the CRM sends it too slowly");
    }
}
