package io.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.leadsync.model.LeadUpdate;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Camel runs this before each redelivery of a lead update (the delivery error handler's {@code onRedeliveryRef}):
 * it counts the retry, and while the service stops it starts no new attempt, so the update stays pending
 * instead of waiting out its back-off and being cut off mid-call when the shutdown timeout ends.
 */
@ApplicationScoped
@Named("beforeRetry")
public class BeforeRetry implements Processor {

    @Inject
    DeliveryMetrics metrics;

    // Exchange: the error handler calls a Processor here (onRedeliveryRef), and a stop ends the exchange's route.
    @Override
    public void process(Exchange exchange) {
        if (exchange.getContext().isStopping()) {
            exchange.setRouteStop(true);
            throw new ServiceStoppingException();
        }
        LeadUpdate update = exchange.getProperty(LeadDelivery.UPDATE, LeadUpdate.class);
        boolean catalogWait = exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof CatalogNotReadyException;
        if (update != null && !catalogWait) {
            metrics.retried(update.target());
        }
    }
}
