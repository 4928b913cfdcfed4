package io.leadsync.cluster;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadsync.cluster.Replicas.MemberProcess;
import io.leadsync.cluster.Replicas.Replica;
import io.leadsync.cluster.Replicas.Sampler;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Leader election on a real PostgreSQL, without Quarkus: two replicas (two CamelContexts) on one database.
 * Exactly one leads; when its session is killed, it is stopped, or its JVM is killed with SIGKILL, the other
 * takes over within the takeover time; and at no sample (every 50 ms) do both lead.
 */
class PostgresClusterServiceTest {

    static final Duration TAKEOVER = Duration.ofSeconds(3);

    static EmbeddedPostgres postgres;
    static String url;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        url = postgres.getJdbcUrl("postgres", "postgres");
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    static Replica replica(String name) throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("user", "postgres");
        credentials.setProperty("password", "postgres");
        return new Replica(name, new PostgresClusterService(url, credentials, TAKEOVER));
    }

    static List<List<String>> query(String sql) throws SQLException {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<List<String>> result = new ArrayList<>();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.add(rows.getString(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    /** The sessions holding the leadsync namespace's advisory lock: pid and application_name. */
    static List<List<String>> lockHolders() throws SQLException {
        long key = PostgresClusterService.lockKey(Leadership.NAMESPACE);
        return query("select l.pid, a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'advisory' and l.granted and l.classid::bigint = " + (key >>> 32)
                + " and l.objid::bigint = " + (key & 0xffffffffL) + " and l.objsubid = 1");
    }

    static Replica awaitOneLeader(Replica a, Replica b) {
        await().atMost(TAKEOVER.plusSeconds(2)).until(() -> a.isLeader() ^ b.isLeader());
        return a.isLeader() ? a : b;
    }

    @Test
    void whenTheLeadersSessionIsKilledTheOtherTakesOverWithinTheTakeoverTime() throws Exception {
        try (Replica a = replica("replica-a"); Replica b = replica("replica-b")) {
            Sampler sampler = new Sampler(a, b);
            Replica leader = awaitOneLeader(a, b);
            Replica follower = leader == a ? b : a;
            Thread.sleep(TAKEOVER.toMillis()); // and it stays that way
            assertTrue(leader.isLeader() && !follower.isLeader());

            // The lock is held by the leader's own session, named after it (not a pooled connection).
            List<List<String>> holders = lockHolders();
            assertEquals(1, holders.size(), "holders: " + holders);
            assertEquals("leadsync leader " + leader.name, holders.get(0).get(1));

            long killed = System.nanoTime();
            query("select pg_terminate_backend(" + holders.get(0).get(0) + ")");
            await().atMost(TAKEOVER).until(follower::isLeader);
            assertThat(Replicas.since(killed), lessThanOrEqualTo(TAKEOVER));
            assertFalse(leader.isLeader(), "the old leader stepped down");
            assertEquals(List.of("leadsync leader " + follower.name), lockHolders().stream().map(r -> r.get(1)).toList());

            // The old leader reconnects as a follower and stays one while the new leader lives.
            Thread.sleep(TAKEOVER.toMillis());
            assertTrue(follower.isLeader() && !leader.isLeader());
            assertEquals(2, query("select count(*) from pg_stat_activity where application_name like 'leadsync leader %'")
                    .get(0).stream().mapToInt(Integer::parseInt).sum(), "both replicas connected");
            sampler.assertNeverTwoLeaders();
        }
    }

    @Test
    void whenTheLeaderStopsTheOtherTakesOver() throws Exception {
        try (Replica a = replica("replica-c"); Replica b = replica("replica-d")) {
            Sampler sampler = new Sampler(a, b);
            Replica leader = awaitOneLeader(a, b);
            Replica follower = leader == a ? b : a;

            long stopped = System.nanoTime();
            leader.stop();
            assertFalse(leader.isLeader(), "a stopped replica is no leader");
            await().atMost(TAKEOVER).until(follower::isLeader);
            assertThat(Replicas.since(stopped), lessThanOrEqualTo(TAKEOVER));
            Thread.sleep(TAKEOVER.toMillis() / 3);
            assertTrue(follower.isLeader() && !leader.isLeader());
            sampler.assertNeverTwoLeaders();
        }
    }

    @Test
    void whenTheLeadersJvmIsKilledTheOtherTakesOver() throws Exception {
        try (MemberProcess member = new MemberProcess("postgres", url, "postgres", "postgres",
                String.valueOf(TAKEOVER.toMillis()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> "LEADER".equals(member.state()));
            try (Replica other = replica("replica-e")) {
                // While the member process lives and leads, this replica never does.
                for (int i = 0; i < 2 * TAKEOVER.toMillis() / 50; i++) {
                    assertFalse(other.isLeader(), "two leaders: " + member);
                    Thread.sleep(50);
                }
                assertEquals("LEADER", member.state());

                long killed = System.nanoTime();
                member.kill();
                await().atMost(TAKEOVER).until(other::isLeader);
                assertThat(Replicas.since(killed), lessThanOrEqualTo(TAKEOVER));
            }
        }
    }

    /**
     * A leader that cannot talk to PostgreSQL any more (here: frozen with SIGSTOP, as a partition or a long pause
     * looks from the server) loses its session to idle_session_timeout, and the other replica takes over; once
     * it runs again it reads its dead socket and steps down.
     */
    @Test
    void aFrozenLeaderLosesItsSessionAndStepsDownWhenItWakes() throws Exception {
        try (MemberProcess member = new MemberProcess("postgres", url, "postgres", "postgres",
                String.valueOf(TAKEOVER.toMillis()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> "LEADER".equals(member.state()));
            try (Replica other = replica("replica-f")) {
                Thread.sleep(TAKEOVER.toMillis() / 3); // the follower is connected and trying
                assertFalse(other.isLeader());
                signal("STOP", member);
                try {
                    long frozen = System.nanoTime();
                    // The server ends the idle session one takeover time after its last check; the follower
                    // then needs at most two intervals (a try and the confirming check).
                    Duration bound = TAKEOVER.plus(TAKEOVER.dividedBy(3).multipliedBy(2)).plusMillis(500);
                    await().atMost(bound).until(other::isLeader);
                    assertThat(Replicas.since(frozen), lessThanOrEqualTo(bound));
                    assertEquals(List.of("leadsync leader " + other.name),
                            lockHolders().stream().map(r -> r.get(1)).toList());
                } finally {
                    signal("CONT", member);
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> "FOLLOWER".equals(member.state()));
                Thread.sleep(TAKEOVER.toMillis());
                assertTrue(other.isLeader(), "the woken member came back as a follower");
                assertEquals("FOLLOWER", member.state());
            }
        }
    }

    static void signal(String signal, MemberProcess member) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(member.process.pid())).inheritIO()
                .start().waitFor());
    }

    @Test
    void aDatabaseThatIsDownLeavesAFollowerThatSaysWhyWithoutThePassword() throws Exception {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(org.jboss.logmanager.ExtLogRecord.wrap(record).getFormattedMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(PostgresClusterService.class.getName());
        logger.addHandler(handler);
        Properties credentials = new Properties();
        credentials.setProperty("user", "leadsync");
        credentials.setProperty("password", "db-pass-5ecret");
        try (Replica down = new Replica("replica-down", new PostgresClusterService(
                "jdbc:postgresql://127.0.0.1:9/leadsync?password=db-pass-5ecret", credentials, TAKEOVER))) {
            await().atMost(TAKEOVER).until(() -> String.join("\n", logged).contains("is not usable"));
            Thread.sleep(TAKEOVER.toMillis());
            assertFalse(down.isLeader());
            String log = String.join("\n", logged);
            assertThat(log, containsString("PostgreSQL (jdbc:postgresql://127.0.0.1:9/leadsync) is not usable"));
            assertThat(log, containsString("Connection to 127.0.0.1:9 refused"));
            assertThat(log, not(containsString("db-pass-5ecret")));
            assertThat("one warning per outage, not one per try",
                    logged.stream().filter(l -> l.contains("is not usable")).count(), is(1L));
        } finally {
            logger.removeHandler(handler);
        }
    }
}
