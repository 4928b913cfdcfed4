package io.leadsync.console;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The chart's minutes are the growth of the delivery metrics between samples, all targets together. */
class DeliveryHistoryTest {

    @Test
    void eachMinuteIsWhatTheCountersGrewByInIt() {
        DeliveryHistory history = new DeliveryHistory();
        history.registry = new SimpleMeterRegistry();
        Counter telecrm = history.registry.counter("leadsync.leads.delivered", "target", "telecrm");
        Counter superfone = history.registry.counter("leadsync.leads.delivered", "target", "superfone");
        Timer latency = history.registry.timer("leadsync.delivery.latency", "target", "telecrm");
        Instant t = Instant.parse("2026-12-06T10:00:00Z");

        telecrm.increment(5); // before the first sample: not a minute of its own
        history.sample(t);
        assertThat(history.minutes().size(), is(0));

        telecrm.increment(2);
        superfone.increment(1);
        latency.record(Duration.ofMillis(10));
        latency.record(Duration.ofMillis(30));
        history.sample(t.plusSeconds(60));
        history.sample(t.plusSeconds(120)); // a quiet minute
        assertThat(history.minutes().stream().map(DeliveryHistory.Minute::delivered).toList(), contains(3L, 0L));
        assertThat(history.minutes().get(0).meanMillis(), is(20.0));
        assertThat(history.minutes().get(1).meanMillis(), is(nullValue()));

        DeliveryHistory.Chart chart = history.chart();
        assertThat(chart.maxDelivered(), is(3L));
        assertThat(chart.delivered().get(0).height(), is(100));
        assertThat(chart.delivered().get(1).height(), is(0));
        assertThat(chart.delivered().get(0).label(), is("3 delivered in the minute ending 1 min ago"));
        assertThat("newest on the right", chart.delivered().get(1).x(), is(590));

        for (int i = 3; i < 70; i++) {
            history.sample(t.plusSeconds(60L * i));
        }
        assertThat("an hour is kept", history.minutes().size(), is(60));
    }
}
