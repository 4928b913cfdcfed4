package io.leadsync.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.config.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Change events out (stage changes, lead changes): one JSON message to the Camel endpoint URI the user configured
 * (kafka:, file:, …). The change itself is already recorded when an event is sent, so a failed send is reported to
 * the caller, which logs what was not sent, rather than thrown.
 */
@ApplicationScoped
public class EventEndpoints {

    @Inject
    ProducerTemplate camel;

    @Inject
    Secrets secrets;

    /**
     * Sends the message; for Kafka keyed by {@code key}, so the events of one key share a partition and keep their
     * order. Null when it was sent, otherwise why not (its root cause, secrets redacted).
     */
    public String send(String uri, String key, String message) {
        Exchange sent = camel.send(uri, exchange -> {
            exchange.getMessage().setBody(message);
            exchange.getMessage().setHeader(KafkaConstants.KEY, key);
        });
        if (sent.getException() == null) {
            return null;
        }
        Throwable root = sent.getException();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return secrets.redact(root.getClass().getSimpleName() + ": " + root.getMessage());
    }
}
