package io.leadsync.etl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.cluster.CamelClusterService;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.leadsync.cluster.Leadership;
import io.leadsync.crm.telecrm.TelecrmLeadExport;
import io.leadsync.cluster.PostgresClusterService;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.EmbeddedPostgresResource;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With PostgreSQL configured, the service elects its leader there. While another replica (here: the test's own
 * session) holds the lock, this one is a follower: its stage timers do not poll and its scheduled CRM exports
 * skip their turn. When that replica goes, this one takes over within the takeover time and does both.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(PostgresLeaderTest.AnotherReplicaLeads.class)
class PostgresLeaderTest {

    static final Duration TAKEOVER = Duration.ofSeconds(2);
    static final String PIPELINE = "/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline";

    public static class AnotherReplicaLeads implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LockHeldElsewhere.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.stages.initial-delay", "1s", "leadsync.stages.poll-interval", "1s",
                    "leadsync.cluster.takeover", TAKEOVER.toSeconds() + "s");
        }
    }

    /** The embedded PostgreSQL, with the leadsync namespace's lock already held by a session of the test's. */
    public static class LockHeldElsewhere extends EmbeddedPostgresResource {
        static Connection otherReplica;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            try {
                otherReplica = postgres().getPostgresDatabase().getConnection();
                try (PreparedStatement lock = otherReplica.prepareStatement("select pg_advisory_lock(?)")) {
                    lock.setLong(1, PostgresClusterService.lockKey(Leadership.NAMESPACE));
                    lock.execute();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return config;
        }
    }

    @Inject
    CamelClusterService service;

    @Inject
    Leadership leadership;

    @Inject
    EtlSchedule schedule;

    /** TeleCRM's export schedules itself, in its package. */
    @Inject
    TelecrmLeadExport telecrmExport;

    @Inject
    EtlJobs jobs;

    static long scheduledRuns(EtlJobs jobs, String job) {
        return jobs.runs(null, 1000).stream().filter(r -> r.job().equals(job) && r.trigger().equals("schedule")).count();
    }

    static int electionSessions() throws SQLException {
        try (Connection db = EmbeddedPostgresResource.postgres().getPostgresDatabase().getConnection();
                Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery(
                        "select count(*) from pg_stat_activity where application_name like 'leadsync leader %'")) {
            row.next();
            return row.getInt(1);
        }
    }

    @Test
    void aFollowerNeitherPollsNorExportsUntilTheLeaderIsGone() throws Exception {
        wireMock().stubFor(get(urlPathEqualTo(PIPELINE))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        assertThat(service, instanceOf(PostgresClusterService.class));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> electionSessions() == 1);

        // A follower: for twice the takeover time, no leadership, no poll by a timer, no scheduled export.
        long until = System.nanoTime() + 2 * TAKEOVER.toNanos();
        while (System.nanoTime() < until) {
            assertThat(leadership.isLeader(), is(false));
            Thread.sleep(100);
        }
        wireMock().verify(0, getRequestedFor(urlPathEqualTo(PIPELINE)));
        assertThat(Polls.stages("telecrm").getString("sources[0].status"), is("PENDING"));
        assertThat(given().get("/q/metrics").then().extract().asString(), containsString("leadsync_cluster_leader 0.0"));
        schedule.stages();
        telecrmExport.scheduled();
        assertThat(scheduledRuns(jobs, "stages") + scheduledRuns(jobs, "telecrm-leads"), is(0L));
        // lead-import reads this replica's own directory: it runs on every replica.
        schedule.leadImport();
        assertThat(scheduledRuns(jobs, "lead-import"), is(1L));

        // The other replica goes: this one leads within the takeover time, and its timers poll.
        long gone = System.nanoTime();
        LockHeldElsewhere.otherReplica.close();
        Awaitility.await().atMost(TAKEOVER.plusMillis(500)).pollInterval(Duration.ofMillis(50)).until(leadership::isLeader);
        assertThat(Duration.ofNanos(System.nanoTime() - gone).compareTo(TAKEOVER) <= 0, is(true));
        assertThat(given().get("/q/metrics").then().extract().asString(), containsString("leadsync_cluster_leader 1.0"));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Polls.stages("telecrm").getString("sources[0].status"), is("OK")));
        schedule.stages();
        assertThat(scheduledRuns(jobs, "stages"), is(1L));
    }
}
