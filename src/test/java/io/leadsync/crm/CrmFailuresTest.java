package io.leadsync.crm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;
import io.leadsync.config.Secrets;
import io.leadsync.paging.PageWalkException;

/** The one failure vocabulary of CRM calls, without an app: what is worth another try, and how each failure is worded. */
class CrmFailuresTest {

    static final CrmErrorReader READER = new CrmErrorReader() {
        @Override
        public String crm() {
            return "telecrm";
        }

        @Override
        public String describe(int status, String body) {
            return "the CRM says " + body;
        }
    };

    static HttpOperationFailedException http(int status, String location, String body) {
        return new HttpOperationFailedException("https://crm.example/api?token=secret-token", status, "status", location,
                Map.of(), body);
    }

    @Test
    void tooManyRequestsServerErrorsAndTheNetworkAreWorthAnotherTry() {
        assertThat(CrmFailures.isTransientFailure(http(503, null, "")), is(true));
        assertThat(CrmFailures.isTransientFailure(http(429, null, "")), is(true));
        assertThat(CrmFailures.isTransientFailure(new CrmCallException(502, "Bad Gateway", null)), is(true));
        assertThat(CrmFailures.isTransientFailure(new CrmCallException(429, "slow down", 1000L)), is(true));
        assertThat(CrmFailures.isTransientFailure(new SocketTimeoutException("Read timed out")), is(true));
        assertThat(CrmFailures.isTransientFailure(new RuntimeException(new IOException("Connection reset"))), is(true));
        assertThat(CrmFailures.isTransientFailure(new AnswerTooSlowException(2500)), is(true));
    }

    @Test
    void refusalsAndAnswersThatWillNotChangeAreNot() {
        assertThat(CrmFailures.isTransientFailure(http(404, null, "")), is(false));
        assertThat(CrmFailures.isTransientFailure(new CrmCallException(401, "bad token", null)), is(false));
        assertThat(CrmFailures.isTransientFailure(new CrmCallException(400, "no such field", null)), is(false));
        assertThat(CrmFailures.isTransientFailure(new AnswerTooLargeException(1 << 20)), is(false));
        assertThat(CrmFailures.isTransientFailure(new JsonParseException(null, "Unexpected end-of-input")), is(false));
        assertThat(CrmFailures.isTransientFailure(new MalformedAnswerException("no data")), is(false));
        assertThat(CrmFailures.isTransientFailure(new IllegalStateException("bug")), is(false));
        assertThat(CrmFailures.isTransientFailure(null), is(false));
    }

    @Test
    void eachFailureIsWordedOnceTheSameWayForEveryCaller() {
        assertThat(CrmFailures.describe(http(500, null, "{\"error\":\"boom\"}"), READER), is("HTTP 500: the CRM says {\"error\":\"boom\"}"));
        assertThat(CrmFailures.describe(http(302, "https://crm.example/login", ""), READER),
                is("HTTP 302: the CRM redirects to https://crm.example/login; leadsync follows no redirects: check the CRM's"
                        + " base-url"));
        assertThat(CrmFailures.describe(new CrmCallException(503, "Service Unavailable", null), READER),
                is("HTTP 503: Service Unavailable"));
        assertThat(CrmFailures.describe(new PageWalkException("the CRM gave the same cursor twice"), READER),
                is("the CRM gave the same cursor twice"));
        assertThat(CrmFailures.describe(new RuntimeException(new JsonParseException(null, "Unexpected end-of-input")), READER),
                is("invalid JSON in the answer: Unexpected end-of-input"));
        assertThat(CrmFailures.describe(new SocketTimeoutException("Read timed out"), READER),
                is("time-out: no answer within leadsync.http.response-timeout"));
        assertThat(CrmFailures.describe(new CamelExchangeException("Sequential processing failed", null,
                new IllegalStateException("no page")), READER), is("IllegalStateException: no page"));
        assertThat(CrmFailures.describe(null, READER), is("unknown failure"));
    }

    @Test
    void theReasonHasNoSecret() {
        CrmFailures failures = new CrmFailures() {
            @Override
            CrmErrorReader reader(String source) {
                return READER;
            }
        };
        failures.secrets = new Secrets() {
            @Override
            public String redact(String text) {
                return text.replace("secret-token", "****");
            }
        };
        assertThat(failures.reason(http(400, null, "{\"echo\":\"Bearer secret-token\"}"), "telecrm"),
                is("HTTP 400: the CRM says {\"echo\":\"Bearer ****\"}"));
    }
}
