package io.leadsync.crm;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.leadsync.config.Secrets;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * One vocabulary for a CRM call that failed, whoever made it: a stage poll, a lead delivery, a read of a source's
 * lead, an ETL page, a walk of TeleCRM's leads. It says whether another try may do better ({@link
 * #isTransientFailure}; the routes' {@code onWhen} asks {@code ref: crmFailures, method: isTransient}) and gives the
 * reason a person can act on ({@link #reason}), with the configured secrets masked. Built from status codes, the
 * CRM's own error code and message (its {@link CrmErrorReader}), exception types and the messages leadsync words
 * itself: never from URLs or headers.
 */
@ApplicationScoped
@Named("crmFailures")
@RegisterForReflection // the routes call isTransient by name
public class CrmFailures {

    /**
     * An exception whose message already is the reason, worded for a person (what the CRM answered and to which call,
     * a page walk that would not end, an update that does not fit the catalog): {@link #reason} shows it as it is.
     */
    public interface Worded {
    }

    @Inject
    Secrets secrets;

    @Inject
    @Any
    Instance<CrmErrorReader> readers;

    /** 429 and 5xx may succeed later; any other status will not. */
    public static boolean isTransientStatus(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * Worth another try, as the first failure down the cause chain that says: an HTTP error answer or a
     * {@link CrmCallException} of status 429 or 5xx, and any I/O failure (a time-out, a refused or dropped
     * connection) but an answer over the size limit or one that is not JSON ({@link NetworkFaults#isTransient}).
     */
    public static boolean isTransientFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return isTransientStatus(http.getStatusCode());
            }
            if (t instanceof CrmCallException call) {
                return call.isTransient();
            }
            if (t instanceof IOException) {
                return NetworkFaults.isTransient(t);
            }
        }
        return false;
    }

    /**
     * For the routes' {@code onWhen} ({@code ref: crmFailures, method: isTransient}): whether the failure an error
     * handler is handling is worth another try: the exchange's exception, or the one it caught. The only method of that
     * name, so Camel never has to choose.
     */
    public boolean isTransient(@ExchangeException Exception thrown,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught) {
        return isTransientFailure(thrown != null ? thrown : caught);
    }

    /** The reason in words a person can act on, secrets masked, of a call whose CRM is not known. */
    public String reason(Throwable failure) {
        return reason(failure, null);
    }

    /**
     * The reason in words a person can act on, secrets masked. {@code source} is the call's CRM ({@code telecrm},
     * {@code truto:acc-1}; null when not known): its reader words an HTTP error answer.
     */
    public String reason(Throwable failure, String source) {
        return redact(describe(failure, reader(source)));
    }

    /** The configured credentials masked in a text that came from outside (a CRM's error body may echo them). */
    public String redact(String text) {
        return secrets.redact(text);
    }

    /** The reason, before any secret is masked: the first failure down the cause chain that says what went wrong. */
    static String describe(Throwable failure, CrmErrorReader reader) {
        if (failure == null) {
            return "unknown failure";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                return "HTTP " + status + ": " + (status >= 300 && status < 400
                        ? CrmExchanges.redirected(http.getRedirectLocation())
                        : reader.describe(status, http.getResponseBody()));
            }
            if (t instanceof Worded) {
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
        Throwable shown = failure;
        while (shown instanceof CamelExchangeException && shown.getCause() != null) {
            shown = shown.getCause(); // a Split's wrapper: the step's own failure says what went wrong
        }
        return shown.getClass().getSimpleName() + ": " + shown.getMessage();
    }

    /** The error reader of a source's CRM; for one without (or none named), the status alone. */
    CrmErrorReader reader(String source) {
        String crm = source == null ? "" : source.split(":", 2)[0];
        for (CrmErrorReader reader : readers) {
            if (reader.crm().equals(crm)) {
                return reader;
            }
        }
        return new CrmErrorReader() {
            @Override
            public String crm() {
                return crm;
            }

            @Override
            public String describe(int status, String body) {
                return "the CRM answered with status " + status;
            }
        };
    }
}
