package io.leadsync.catalog;

import io.leadsync.crm.MalformedAnswerException;
import io.leadsync.crm.CrmErrorReader;
import io.leadsync.crm.CrmCallException;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.crm.NetworkFaults;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.leadsync.paging.PageWalkException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Turns what made a poll fail into a reason a person understands. Built from status codes, the CRM's
 * own error code and message, and exception types — never from URLs or headers, so no secret leaks.
 */
final class PollFailures {

    private PollFailures() {
    }

    static String describe(Throwable failure, CrmErrorReader reader) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return "HTTP " + http.getStatusCode() + ": " + (http.getStatusCode() >= 300 && http.getStatusCode() < 400
                        ? CrmExchanges.redirected(http.getRedirectLocation())
                        : reader.describe(http.getStatusCode(), http.getResponseBody()));
            }
            if (t instanceof PageWalkException || t instanceof MalformedAnswerException || t instanceof CrmCallException) {
                return t.getMessage();
            }
            if (t instanceof JsonProcessingException json) {
                return "invalid JSON in the answer: " + json.getOriginalMessage();
            }
            String fault = NetworkFaults.describe(t);
            if (fault != null) {
                return fault;
            }
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    /** Worth another try within the same poll: the CRM or the network may answer next time. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode() >= 500 || http.getStatusCode() == 429;
            }
            if (t instanceof java.io.IOException) {
                return NetworkFaults.isTransient(t);
            }
        }
        return false;
    }
}
