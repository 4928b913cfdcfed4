package io.leadsync.crm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;

/**
 * What went wrong between leadsync and a CRM, below the HTTP answer: one wording for polls, deliveries and exports,
 * built from exception types and their messages (host names, never URLs or headers).
 */
public final class NetworkFaults {

    private NetworkFaults() {
    }

    /** A reason a person can act on, or null when the failure is not a network fault. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AnswerTooLargeException || t instanceof AnswerTooSlowException) {
                return t.getMessage();
            }
            if (t instanceof UnknownHostException) {
                return "unknown host: the CRM's host name does not resolve (" + t.getMessage() + "); check its base-url";
            }
            if (t instanceof ConnectTimeoutException) {
                return "connection failed: no connection within leadsync.http.connect-timeout (" + t.getMessage() + ")";
            }
            if (t instanceof InterruptedIOException) {
                return "time-out: no answer within leadsync.http.response-timeout";
            }
            if (t instanceof NoHttpResponseException) {
                return "connection failed: the CRM closed the connection without answering";
            }
            if (t instanceof MalformedChunkCodingException || t instanceof ConnectionClosedException) {
                return "connection failed: the answer broke off (" + t.getMessage() + ")";
            }
            if (t instanceof SocketException) {
                return "connection failed: " + t.getMessage();
            }
            if (t instanceof ProtocolException) {
                return "not an HTTP answer: " + t.getMessage();
            }
        }
        return null;
    }

    /**
     * Worth another try: the network or the CRM may do better next time. Any I/O failure is, but an answer over the
     * size limit (it will be as big again) and an answer that was read but is not JSON.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AnswerTooLargeException || t instanceof JsonProcessingException) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
