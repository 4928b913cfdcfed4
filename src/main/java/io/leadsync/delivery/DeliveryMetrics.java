package io.leadsync.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.model.DeadLetter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What lead routing did, per target, for Prometheus ({@code /q/metrics}): accepted, delivered, skipped,
 * dead-lettered by reason, retries, the updates still waiting, and how long an update took from its 202 to DELIVERED.
 * The target tag is the update's target ({@code truto:<account>} per account), bounded by the configured sources.
 */
@ApplicationScoped
public class DeliveryMetrics {

    @Inject
    MeterRegistry registry;

    public void accepted(String target) {
        registry.counter("leadsync.leads.accepted", "target", target).increment();
    }

    public void delivered(String target, Instant acceptedAt) {
        registry.counter("leadsync.leads.delivered", "target", target).increment();
        if (acceptedAt != null) {
            Timer.builder("leadsync.delivery.latency")
                    .description("from the update's 202 to DELIVERED")
                    .tag("target", target)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofHours(1))
                    .register(registry)
                    .record(Duration.between(acceptedAt, Instant.now()));
        }
    }

    /** Not written: the target already had the stage (read before write). */
    public void skipped(String target) {
        registry.counter("leadsync.leads.skipped", "target", target).increment();
    }

    public void deadLettered(String target, DeadLetter.Reason reason) {
        registry.counter("leadsync.leads.dead.lettered", "target", target, "reason", reason.name()).increment();
    }

    /** Another attempt at a CRM that failed transiently (429, 5xx, time-out, dropped connection). */
    public void retried(String target) {
        registry.counter("leadsync.delivery.retries", "target", target).increment();
    }

    /** Updates accepted for a CRM and not finished yet, read when scraped. */
    /**
     * Registered while delivery runs and removed when it stops: a gauge outliving its store (a restarted
     * application in the same JVM, as in tests) would read a closed database and show NaN.
     */
    public Runnable pending(String crm, Supplier<Number> count) {
        Gauge gauge = Gauge.builder("leadsync.leads.pending", count).description("accepted, not yet delivered or dead-lettered")
                .tag("target", crm).register(registry);
        return () -> registry.remove(gauge);
    }
}
