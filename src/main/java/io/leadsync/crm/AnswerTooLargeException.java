package io.leadsync.crm;

import java.io.IOException;

/** A CRM's answer grew past {@code leadsync.http.max-answer-size}; the rest was not read. Not worth a retry. */
public class AnswerTooLargeException extends IOException {
    public AnswerTooLargeException(long maxBytes) {
        super("the answer is over " + AnswerLimits.size(maxBytes)
                + " (leadsync.http.max-answer-size): the rest was not read");
    }
}
