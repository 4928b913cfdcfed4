package io.leadsync.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two replicas on one PostgreSQL, one of them killed (SIGKILL) in the middle of a run: every update a client
 * was told was accepted (202) is delivered, the survivor taking over the dead replica's updates once its lease
 * has expired, and a POST the dead replica never answered is sent again to the survivor with the same
 * Idempotency-Key, which answers the first id when the dead one had stored it. At least once: a delivery the
 * CRM had applied when its replica died, before the replica recorded it, is sent again by the survivor; so
 * at most as many upserts are doubled as the dead replica had deliveries under way (its Superfone concurrency).
 */
@ExtendWith(ServiceLogs.class)
class ReplicasIT {

    static final int UPDATES = 2000;
    static final int KILL_AFTER = 800;
    static final int CLIENTS = 4;
    /** Superfone deliveries in parallel per replica: the most a kill can leave applied but not recorded. */
    static final int CONCURRENCY = 4;

    @Test
    void aKilledReplicasAcceptedUpdatesAreDeliveredByTheSurvivor() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                FakeSuperfone crm = new FakeSuperfone(0, 50, 0); // every upsert succeeds, after 50 ms
                ServiceProcess a = replica("replica-a", postgres, crm.baseUrl("a"));
                ServiceProcess b = replica("replica-b", postgres, crm.baseUrl("b"))) {
            a.start();
            // A started first, so A leads: it alone polls the stage catalogs until it is killed.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> a.api().get("/q/metrics").asString()
                    .contains("leadsync_cluster_leader 1.0"));
            b.start();
            for (ServiceProcess replica : List.of(a, b)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        replica.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));
            }

            LeadsClient client = new LeadsClient();
            Map<Integer, String> ids = new ConcurrentHashMap<>();
            Map<Integer, String> acceptedBy = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger resent = new AtomicInteger();
            AtomicBoolean aDead = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong killedAt = new java.util.concurrent.atomic.AtomicLong();
            Set<String> pendingPhonesAtKill = ConcurrentHashMap.newKeySet();
            List<String> pendingAtKill = new ArrayList<>();
            long postingStarted = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < CLIENTS; t++) {
                    done.add(clients.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < UPDATES;) {
                            String key = "replicas-it-" + i;
                            String update = "{\"target\":\"superfone\",\"phone\":\"" + phone(i) + "\",\"stage\":\"Qualified\"}";
                            LeadsClient.Answer answer = null;
                            String by = "b";
                            if (i % 2 == 0 && !aDead.get()) {
                                try {
                                    answer = client.post(a.baseUri(), update, key);
                                    by = "a";
                                } catch (IOException killed) {
                                    // no answer: A may or may not have stored it; the same key on B settles which
                                }
                                if (answer == null || answer.status() != 202) {
                                    if (!aDead.get()) {
                                        throw new AssertionError("replica A refused update " + i + " while alive: " + answer);
                                    }
                                    resent.incrementAndGet();
                                    answer = null;
                                    by = "b";
                                }
                            }
                            if (answer == null) {
                                answer = client.post(b.baseUri(), update, key);
                            }
                            if (answer.status() != 202) {
                                throw new AssertionError("replica B refused update " + i + ": " + answer);
                            }
                            ids.put(i, answer.id());
                            acceptedBy.put(i, by);
                            if (accepted.incrementAndGet() == KILL_AFTER) {
                                aDead.set(true);
                                killedAt.set(System.currentTimeMillis());
                                a.kill();
                                // What A left PENDING: nobody can change it until A's lease expires and B claims it.
                                pendingPhonesAtKill.addAll(strings(postgres, "select lead_key from lead_update"
                                        + " where status = 'PENDING'").stream()
                                        .map(leadKey -> "+" + leadKey.substring(leadKey.indexOf(':') + 1)).toList());
                                pendingAtKill.addAll(strings(postgres, "select coalesce(owner, '(none)') || ': ' || count(*)"
                                        + " from lead_update where status = 'PENDING' group by owner"));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                clients.shutdownNow();
            }
            long postingSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - postingStarted);
            assertThat(a.alive(), is(false));
            assertThat(ids.size(), is(UPDATES));
            long byA = acceptedBy.values().stream().filter("a"::equals).count();

            Map<String, JsonNode> receipts = new HashMap<>();
            try {
                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> client.readFinished(b.baseUri(), ids.values(), receipts) == 0);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("not every accepted update finished on the survivor: "
                        + LeadsClient.statuses(receipts) + " of " + UPDATES + ", the rest PENDING", e);
            }
            long allDoneSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - postingStarted);
            assertThat("receipts by status", LeadsClient.statuses(receipts), is(Map.of("DELIVERED", UPDATES)));
            // One stored update per submission: a POST resent to the survivor with its key was not stored twice.
            assertThat(rows(postgres, "select count(*) from lead_update"), is((long) UPDATES));
            assertThat(rows(postgres, "select count(distinct lead_key) from lead_update"), is((long) UPDATES));

            // The CRM saw every phone; an upsert applied twice was cut off on the killed replica, then sent by the survivor.
            Map<String, List<String>> appliedBy = new HashMap<>();
            for (FakeSuperfone.Call call : crm.successes()) {
                appliedBy.computeIfAbsent(call.phone(), p -> new ArrayList<>()).add(call.caller());
            }
            Set<String> phones = new HashSet<>(IntStream.range(0, UPDATES).mapToObj(ReplicasIT::phone).toList());
            assertThat("phones the CRM saw", appliedBy.keySet(), is(phones));
            Map<String, List<String>> twice = new HashMap<>();
            appliedBy.forEach((phone, callers) -> {
                if (callers.size() > 1) {
                    twice.put(phone, callers);
                }
            });
            long takenOver = IntStream.range(0, UPDATES).filter(i -> acceptedBy.get(i).equals("a")
                    && appliedBy.get(phone(i)).get(appliedBy.get(phone(i)).size() - 1).equals("b")).count();
            // In flight on A at the kill: A had called the CRM for it (the call may have arrived after A died), the store
            // still had it PENDING.
            Set<String> inFlightAtKill = new HashSet<>(crm.arrivedFrom("a"));
            inFlightAtKill.retainAll(pendingPhonesAtKill);
            long deliveredByA = crm.successes().stream().filter(c -> c.caller().equals("a")).count();
            System.out.println("ReplicasIT: posted in " + postingSeconds + " s, all delivered after " + allDoneSeconds
                    + " s; " + byA + " updates accepted by A, " + (UPDATES - byA) + " by B, " + resent
                    + " POSTs to A resent to B after the kill; pending at the kill by owner " + pendingAtKill
                    + "; deliveries in flight on A at the kill (CRM called, not recorded): " + inFlightAtKill.size() + " "
                    + inFlightAtKill + "; A delivered " + deliveredByA + ", B delivered " + takenOver + " of A's updates;"
                    + " upserts applied twice: " + twice.size() + " " + twice);
            for (List<String> callers : twice.values()) {
                assertThat("an upsert applied twice: first by the killed replica, then by the survivor", callers,
                        contains("a", "b"));
            }
            // Exactly the deliveries cut off by the kill were sent twice: no update was delivered by both replicas
            // otherwise (a claim while A's lease held, a double claim).
            assertThat("upserts applied twice", twice.keySet(), is(inFlightAtKill));
            assertThat("deliveries in flight on the killed replica", inFlightAtKill.size(), lessThanOrEqualTo(CONCURRENCY));
            // The kill landed mid-run: A had delivered some of its updates, and the survivor delivered the rest.
            assertThat(deliveredByA, greaterThan(0L));
            assertThat(takenOver, greaterThan(0L));
            assertThat(b.logText(), containsString("Took over"));

            // Stage polls ran on one replica at a time: A's before the kill, B's only after it, and B's first poll
            // came within the takeover time (5 s) plus one poll interval (2 s) of the kill.
            List<FakeSuperfone.Poll> polls = crm.polls();
            assertThat(polls.stream().filter(p -> p.caller().equals("b") && p.at() < killedAt.get()).toList(), is(List.of()));
            assertThat(polls.stream().filter(p -> p.caller().equals("a")).count(), greaterThan(0L));
            long takeover = polls.stream().filter(p -> p.caller().equals("b")).mapToLong(FakeSuperfone.Poll::at).min()
                    .orElseThrow(() -> new AssertionError("the survivor never polled; log: " + b.log())) - killedAt.get();
            System.out.printf("ReplicasIT: the survivor's first stage poll came %d ms after the kill%n", takeover);
            assertThat("ms from the kill to the survivor's first poll", takeover, lessThanOrEqualTo(7_000L));
            assertThat(b.logText(), containsString("This replica is now the leader"));
        }
    }

    static ServiceProcess replica(String name, EmbeddedPostgres postgres, String superfone) {
        return new ServiceProcess(name)
                .env("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"))
                .env("QUARKUS_DATASOURCE_USERNAME", "postgres")
                .env("QUARKUS_DATASOURCE_PASSWORD", "postgres")
                .env("LEADSYNC_CLUSTER_TAKEOVER", "5s")
                .env("LEADSYNC_SUPERFONE_BASE_URL", superfone)
                .env("LEADSYNC_SUPERFONE_API_KEY", "replicas-test-key-0042")
                .env("LEADSYNC_SUPERFONE_CONCURRENCY", String.valueOf(CONCURRENCY))
                .env("LEADSYNC_STAGES_INITIAL_DELAY", "1s")
                .env("LEADSYNC_STAGES_POLL_INTERVAL", "2s")
                .env("LEADSYNC_DELIVERY_CLAIM_INTERVAL_MS", "200");
    }

    static String phone(int i) {
        return "+9180000" + String.format("%05d", i);
    }

    static List<String> strings(EmbeddedPostgres postgres, String select) throws java.sql.SQLException {
        List<String> values = new ArrayList<>();
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement query = db.createStatement();
                ResultSet rows = query.executeQuery(select)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    static long rows(EmbeddedPostgres postgres, String count) throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement query = db.createStatement();
                ResultSet row = query.executeQuery(count)) {
            row.next();
            return row.getLong(1);
        }
    }
}
