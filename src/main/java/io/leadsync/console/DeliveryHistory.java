package io.leadsync.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;

/**
 * The overview's chart: deliveries per minute and their mean accept→delivered time over the last hour, read from
 * this replica's own metrics ({@code leadsync.leads.delivered}, {@code leadsync.delivery.latency}; all targets) once a
 * minute. Kept in memory, 60 numbers: a restart starts it again, and each replica shows its own deliveries.
 */
@ApplicationScoped
public class DeliveryHistory {

    static final int MINUTES = 60;

    @Inject
    MeterRegistry registry;

    /** One minute: when it ended, deliveries in it, their mean latency (null without any). */
    public record Minute(Instant end, long delivered, Double meanMillis) {
    }

    /** A bar of the chart, in its 600 x 100 box: x, height, and what it says to a screen reader. */
    public record Bar(int x, int y, int height, String label) {
    }

    /** The chart's bars (deliveries, and latency scaled to its own maximum) and their maxima. */
    public record Chart(List<Bar> delivered, List<Bar> latency, long maxDelivered, double maxMillis, int minutes) {
    }

    private final Deque<Minute> minutes = new ArrayDeque<>();
    private double lastDelivered = Double.NaN;
    private long lastCount;
    private double lastTotalMillis;

    @Scheduled(identity = "console-delivery-history", every = "60s", delayed = "60s")
    void everyMinute() {
        sample(Instant.now());
    }

    /** Takes the minute that ends now from the counters' growth since the last sample. */
    synchronized void sample(Instant now) {
        double delivered = registry.find("leadsync.leads.delivered").counters().stream().mapToDouble(Counter::count).sum();
        long count = 0;
        double totalMillis = 0;
        for (Timer timer : registry.find("leadsync.delivery.latency").timers()) {
            count += timer.count();
            totalMillis += timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (!Double.isNaN(lastDelivered)) {
            long n = count - lastCount;
            minutes.addLast(new Minute(now, Math.max(0, Math.round(delivered - lastDelivered)),
                    n > 0 ? (totalMillis - lastTotalMillis) / n : null));
            while (minutes.size() > MINUTES) {
                minutes.removeFirst();
            }
        }
        lastDelivered = delivered;
        lastCount = count;
        lastTotalMillis = totalMillis;
    }

    public synchronized List<Minute> minutes() {
        return List.copyOf(minutes);
    }

    /** The last hour as bars, newest on the right; empty until a minute has been sampled. */
    public Chart chart() {
        List<Minute> shown = minutes();
        long maxDelivered = shown.stream().mapToLong(Minute::delivered).max().orElse(0);
        double maxMillis = shown.stream().filter(m -> m.meanMillis() != null).mapToDouble(Minute::meanMillis).max().orElse(0);
        List<Bar> delivered = new ArrayList<>();
        List<Bar> latency = new ArrayList<>();
        int width = 600 / MINUTES;
        int first = MINUTES - shown.size();
        for (int i = 0; i < shown.size(); i++) {
            Minute m = shown.get(i);
            int x = (first + i) * width;
            String ago = Duration.between(m.end(), shown.get(shown.size() - 1).end()).toMinutes() + " min ago";
            int h = maxDelivered == 0 ? 0 : (int) Math.round(100.0 * m.delivered() / maxDelivered);
            delivered.add(new Bar(x, 100 - h, h, m.delivered() + " delivered in the minute ending " + ago));
            if (m.meanMillis() != null) {
                int l = maxMillis == 0 ? 0 : (int) Math.round(100.0 * m.meanMillis() / maxMillis);
                latency.add(new Bar(x, 100 - l, l, Math.round(m.meanMillis()) + " ms mean accept to delivered, " + ago));
            }
        }
        return new Chart(delivered, latency, maxDelivered, Math.round(maxMillis), shown.size());
    }
}
