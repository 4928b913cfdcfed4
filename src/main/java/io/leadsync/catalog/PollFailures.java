package io.leadsync.catalog;

import io.leadsync.crm.MalformedAnswerException;
import io.leadsync.crm.CrmErrorReader;
import java.net.SocketException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.leadsync.paging.PageWalkException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.NoHttpResponseException;

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
                return "HTTP " + http.getStatusCode() + ": " + reader.describe(http.getStatusCode(), http.getResponseBody());
            }
            if (t instanceof PageWalkException || t instanceof MalformedAnswerException) {
                return t.getMessage();
            }
            if (t instanceof JsonProcessingException json) {
                return "invalid JSON in the answer: " + json.getOriginalMessage();
            }
            if (t instanceof InterruptedIOException) {
                return "time-out: no answer within leadsync.http.response-timeout-ms";
            }
            if (t instanceof SocketException || t instanceof NoHttpResponseException) {
                return "connection failed: " + t.getMessage();
            }
            if (t instanceof UnknownHostException) {
                return "unknown host: " + t.getMessage();
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
            if (t instanceof InterruptedIOException || t instanceof SocketException
                    || t instanceof NoHttpResponseException) {
                return true;
            }
        }
        return false;
    }
}
