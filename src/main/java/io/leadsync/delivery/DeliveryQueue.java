package io.leadsync.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.leadsync.catalog.CatalogSources;
import io.leadsync.crm.Crms;
import io.leadsync.cluster.Leadership;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.delivery.LeadStore.Queued;
import io.leadsync.storage.Store;
import io.leadsync.storage.StoreUnavailableException;
import io.quarkus.scheduler.Scheduled;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.quarkus.main.events.AfterStart;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceSupport;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hands committed updates to their CRM's delivery route ({@code direct:lead-delivery-<crm>}) in memory: no
 * polling between an accept and its delivery. One lane per lead: a lead's next update starts only when the
 * one before it is finished (delivered or dead-lettered, after all its retries), while different leads go in
 * parallel. At most {@code leadsync.delivery.window} updates per CRM are held in memory; beyond that they
 * wait in the store and are read in, oldest first, as room frees up.
 *
 * <p>A claimer thread renews this replica's lease, reads in what waits in the store, and claims updates no
 * live replica owns (a replica died, or a lead's turn came). It wakes every {@code claim-interval-ms}, and at
 * once on PostgreSQL's NOTIFY; it also starts the queue after a restart, from the store.
 * It runs as a service of the CamelContext, so it stops after the routes have drained: then, on PostgreSQL,
 * this replica's unfinished updates are released for the others at once instead of after the lease.
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final Logger LOG = Logger.getLogger(DeliveryQueue.class);
    private static final String CHANNEL = "leadsync_lead_updates";

    @Inject
    LeadStore store;

    @Inject
    Store database;

    @Inject
    CamelContext camel;

    @Inject
    FileStoreImport fileStore;

    @Inject
    LeadsyncConfig config;

    @Inject
    Leadership leadership;

    /** One CRM's updates in memory. Guarded by itself. */
    private final class Crm {
        final String name;
        final Map<String, ArrayDeque<Queued>> lanes = new HashMap<>();
        final Set<Long> held = new HashSet<>();
        /** Some of this replica's updates wait in the store (memory was full, or the queue was not started). */
        boolean overflow = true;
        /** The newest of this replica's accepted updates held in memory: the store is read after it. */
        long watermark;
        AsyncProducer producer;

        Crm(String name) {
            this.name = name;
        }

        int room() {
            return config.delivery().window() - held.size();
        }

        /** Takes the update into its lane; returns it if it is at its lane's head and should start now. */
        Queued add(Queued queued) {
            if (!held.add(queued.seq())) {
                return null; // already here (read in and claimed in the same moment)
            }
            ArrayDeque<Queued> lane = lanes.computeIfAbsent(queued.leadKey(), k -> new ArrayDeque<>());
            lane.add(queued);
            return lane.size() == 1 ? queued : null;
        }
    }

    private final Map<String, Crm> crms = new HashMap<>();
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile boolean woken;
    private ScheduledExecutorService timers;
    private ExecutorService handOff;

    /** After its commit, on the store's writer thread: an accepted (or replayed) update this replica delivers. */
    void accepted(Queued queued) {
        Crm crm = crm(queued.crm());
        Queued start;
        synchronized (crm) {
            if (!running || crm.overflow || crm.room() <= 0) {
                crm.overflow = true; // the claimer reads it in, in order, when there is room
                return;
            }
            crm.watermark = Math.max(crm.watermark, queued.seq());
            start = crm.add(queued);
        }
        if (start != null) {
            send(crm, start);
        }
    }

    private Crm crm(String name) {
        synchronized (crms) {
            return crms.computeIfAbsent(name, Crm::new);
        }
    }

    /**
     * Starts the update's delivery on a hand-off thread: never on the caller's, which may be the store's writer
     * (a route step that writes to the store would wait for it) or a finished delivery's.
     */
    private void send(Crm crm, Queued queued) {
        try {
            handOff.execute(() -> start(crm, queued));
        } catch (RejectedExecutionException stopping) {
            // leadsync is stopping: the update stays PENDING in the store
        }
    }

    private void start(Crm crm, Queued queued) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(LeadDelivery.ACCEPTED, queued.accepted());
        exchange.setProperty(LeadDelivery.UPDATE, queued.accepted().update());
        exchange.setProperty(LeadDelivery.RECEIPT, queued.receipt());
        try {
            producer(crm).process(exchange, doneSync -> finished(crm, queued, exchange));
        } catch (Exception e) {
            LOG.errorf("Lead update %s could not start its delivery: %s", queued.accepted().id(), e.getMessage());
            retryLater(crm, queued);
        }
    }

    private AsyncProducer producer(Crm crm) throws Exception {
        synchronized (crm) {
            if (crm.producer == null) {
                crm.producer = camel.getEndpoint("direct:lead-delivery-" + crm.name).createAsyncProducer();
                crm.producer.start();
            }
            return crm.producer;
        }
    }

    /** The delivery route is done with the update: its lane's next update starts. */
    private void finished(Crm crm, Queued queued, Exchange exchange) {
        Exception failure = exchange.getException();
        if (failure instanceof ServiceStoppingException || camel.isStopping()) {
            return; // still PENDING in the store: delivered after the next start, or by another replica
        }
        if (failure != null) {
            // Not even a dead letter could be written (the store failed inside the dead-letter channel, where
            // the route's redelivery does not reach): the update is still PENDING, start it again later.
            LOG.warnf("Lead update %s is still pending: %s", queued.accepted().id(), failure.getMessage());
            retryLater(crm, queued);
            return;
        }
        Queued next;
        boolean readIn;
        synchronized (crm) {
            ArrayDeque<Queued> lane = crm.lanes.get(queued.leadKey());
            lane.poll();
            crm.held.remove(queued.seq());
            next = lane.peek();
            if (next == null) {
                crm.lanes.remove(queued.leadKey());
            }
            readIn = crm.overflow && crm.room() >= config.delivery().window() / 2;
        }
        if (next != null) {
            send(crm, next);
        }
        if (readIn) {
            wake();
        }
    }

    private void retryLater(Crm crm, Queued queued) {
        try {
            timers.schedule(() -> send(crm, queued), config.delivery().catalogWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // leadsync is stopping: the update stays PENDING in the store
        }
    }

    /** A claim holds while its replica renews its lease: as long as a dead leader's work may wait. */
    private Duration lease() {
        return config.cluster().takeover();
    }

    /**
     * Every {@code leadsync.delivery.prune-interval}, on the leader: finished updates older than keep-done and
     * idempotency keys older than their window go, so the store stays bounded under a steady load.
     */
    @Scheduled(identity = "prune-lead-updates", every = "${leadsync.delivery.prune-interval}",
            delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        if (!running || !leadership.isLeader()) {
            return;
        }
        Instant now = Instant.now();
        try {
            int pruned = store.prune(now.minus(config.delivery().keepDone()), now.minus(config.delivery().idempotencyWindow()));
            if (pruned > 0) {
                LOG.infof("Pruned %d finished lead updates older than %s", pruned, config.delivery().keepDone());
            }
        } catch (StoreUnavailableException e) {
            LOG.warnf("Pruning finished lead updates: %s", e.getMessage());
        }
    }

    private void heartbeat() {
        try {
            if (database.ready()) {
                store.heartbeat();
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not renew this replica's lease: %s", e.getMessage());
        }
    }

    /** Makes the claimer look at the store now. */
    void wake() {
        woken = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** In a service (not run-once, not validate mode), once the delivery routes have started. */
    void afterStart(@Observes AfterStart event) throws Exception {
        if (config.intake().enabled()) {
            camel.addService(new Claims());
        }
    }

    /** The claimer thread's life, as a service of the CamelContext: stopped after the routes. */
    private final class Claims extends ServiceSupport {
        private Thread claimer;
        private Runnable removeGauges;

        @Override
        protected void doStart() {
            removeGauges = store.registerMetrics();
            timers = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "lead-delivery-timers");
            // Unbounded queue, never caller-runs: at most leadsync.delivery.window updates per CRM are ever queued.
            handOff = Executors.newFixedThreadPool(2, r -> {
                Thread thread = new Thread(r, "lead-hand-off");
                thread.setDaemon(true);
                return thread;
            });
            running = true;
            // The lease is renewed on its own thread, three times per takeover time: a slow claim never delays it.
            timers.scheduleWithFixedDelay(DeliveryQueue.this::heartbeat, 0, lease().toMillis() / 3, TimeUnit.MILLISECONDS);
            claimer = new Thread(DeliveryQueue.this::claimLoop, "lead-claims");
            claimer.setDaemon(true);
            claimer.start();
        }

        @Override
        protected void doStop() throws InterruptedException {
            running = false;
            wake();
            claimer.interrupt();
            claimer.join(5000);
            camel.getExecutorServiceManager().shutdown(timers);
            handOff.shutdown();
            if (database.kind() == Store.Kind.POSTGRESQL && database.unavailable() == null) {
                try {
                    store.release();
                } catch (StoreUnavailableException e) {
                    LOG.warnf("Could not release this replica's pending updates (others take them after %s): %s", lease(),
                            e.getMessage());
                }
            }
            database.close(); // the routes have drained: nothing writes any more
            removeGauges.run();
        }
    }

    private void claimLoop() {
        boolean imported = false;
        Connection listener = null;
        while (running) {
            try {
                if (!database.ready()) {
                    awaitWakeUp();
                    continue;
                }
                if (!imported) {
                    fileStore.importIfPresent(); // a data dir from before the database store: first, once
                    imported = true;
                }
                for (String name : Crms.NAMES) {
                    readIn(crm(name));
                }
                if (database.kind() == Store.Kind.POSTGRESQL) {
                    listener = listen(listener);
                } else {
                    awaitWakeUp();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | SQLException | java.io.IOException e) {
                LOG.warnf("Looking for lead updates to deliver: %s", e.getMessage());
                close(listener);
                listener = null;
                try {
                    awaitWakeUp();
                } catch (InterruptedException stopping) {
                    break;
                }
            }
        }
        close(listener);
    }

    /** Reads in this replica's updates that wait in the store, then claims those nobody delivers. */
    private void readIn(Crm crm) {
        List<Queued> started = new ArrayList<>();
        synchronized (crm) {
            if (crm.overflow && crm.room() > 0) {
                int room = crm.room();
                List<Queued> waiting = store.owned(crm.name, crm.watermark, room);
                for (Queued queued : waiting) {
                    crm.watermark = queued.seq();
                    add(crm, queued, started);
                }
                crm.overflow = waiting.size() == room;
            }
        }
        int room;
        synchronized (crm) {
            room = crm.room();
        }
        if (room > 0) {
            List<Queued> claimed = store.claim(crm.name, room);
            if (!claimed.isEmpty()) {
                LOG.infof("Took over %d pending lead updates for %s", claimed.size(), crm.name);
            }
            synchronized (crm) {
                for (Queued queued : claimed) {
                    add(crm, queued, started);
                }
            }
        }
        started.forEach(q -> send(crm, q));
    }

    private static void add(Crm crm, Queued queued, List<Queued> started) {
        Queued start = crm.add(queued);
        if (start != null) {
            started.add(start);
        }
    }

    /**
     * PostgreSQL: waits for a NOTIFY (an update waits for a claim), a local wake-up or the claim interval,
     * whichever comes first.
     */
    private Connection listen(Connection listener) throws SQLException {
        if (listener == null) {
            listener = database.read();
            try (Statement listen = listener.createStatement()) {
                listen.execute("listen " + CHANNEL);
            }
        }
        PGConnection notifications = listener.unwrap(PGConnection.class);
        long until = System.currentTimeMillis() + config.delivery().claimInterval().toMillis();
        while (running && !woken && System.currentTimeMillis() < until) {
            PGNotification[] received = notifications.getNotifications(50);
            if (received != null && received.length > 0) {
                break;
            }
        }
        woken = false;
        return listener;
    }

    /** On PostgreSQL, in the same transaction as a write that leaves an update for any replica to claim. */
    static void notifyClaimers(Connection c) throws SQLException {
        try (Statement notify = c.createStatement()) {
            notify.execute("notify " + CHANNEL);
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    /** The claim interval, or less when woken (a lane has room again, or leadsync stops). */
    private void awaitWakeUp() throws InterruptedException {
        synchronized (wakeUp) {
            if (!woken && running) {
                wakeUp.wait(config.delivery().claimInterval().toMillis());
            }
            woken = false;
        }
    }
}
