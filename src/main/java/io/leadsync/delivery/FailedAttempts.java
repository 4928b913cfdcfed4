package io.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The delivery error handler's onExceptionOccurred: every failed attempt is counted and Retry-After honoured. */
@ApplicationScoped
@Named("failedAttempts")
public class FailedAttempts implements Processor {

    @Inject
    LeadDelivery delivery;

    // Exchange: the error handler calls a Processor here (onExceptionOccurredRef), and the attempt sets a header on it.
    @Override
    public void process(Exchange exchange) throws Exception {
        delivery.attemptFailed(exchange);
    }
}
