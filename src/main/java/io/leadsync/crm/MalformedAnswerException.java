package io.leadsync.crm;

/** A CRM answered 2xx with a body that is not what its documentation describes. */
public class MalformedAnswerException extends RuntimeException implements CrmFailures.Worded {
    public MalformedAnswerException(String message) {
        super(message);
    }
}
