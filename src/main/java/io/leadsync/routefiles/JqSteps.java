package io.leadsync.routefiles;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.leadsync.crm.CrmFailures;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.language.JqExpression;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Names the step when a jq step of a route file (a request mapping, a header) fails on a message: Camel's error says
 * only which route, and a route has several such steps. Wraps every step whose own expression is jq; the step's
 * failure becomes a {@link JqStepException} with its id.
 */
@ApplicationScoped
public class JqSteps implements InterceptStrategy {

    /** Before any route is created, the reloaded ones included. */
    void install(@Observes BeforeConfigure event) {
        event.getCamelContext().getCamelContextExtension().addInterceptStrategy(this);
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
            Processor nextTarget) {
        if (!(definition instanceof ExpressionNode step) || !step.getOutputs().isEmpty()
                || !(step.getExpression() instanceof JqExpression)) {
            return target;
        }
        String id = step.getId();
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return super.process(exchange, doneSync -> {
                    Exception failure = exchange.getException();
                    if (failure != null && !(failure instanceof JqStepException)) {
                        exchange.setException(new JqStepException(id, failure));
                    }
                    callback.done(doneSync);
                });
            }
        };
    }

    /** A jq step that failed on one message: its id (a mapping's {@code <crm>-<call>-request}) and jq's words. */
    public static final class JqStepException extends RuntimeException implements CrmFailures.Worded {

        private final String step;

        JqStepException(String step, Throwable cause) {
            super("jq step " + step + " failed: " + rootMessage(cause), cause);
            this.step = step;
        }

        public String step() {
            return step;
        }

        private static String rootMessage(Throwable failure) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        }
    }
}
