package io.leadsync.etl;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.leadsync.storage.TimeOrderedIds;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * ETL runs and checkpoints live in the store (SQLite here): GET /etl/runs reads it, a run left RUNNING by an
 * earlier process does not block its job, and the checkpoint files of an older leadsync are imported once.
 */
@QuarkusTest
@TestProfile(EtlStoreTest.UpgradedDataDir.class)
class EtlStoreTest {

    static final Path DATA_DIR = Path.of("target", "test-data", "etl-store-" + UUID.randomUUID());

    /** A data dir written by leadsync before the store: one checkpoint file, there before the service starts. */
    public static class UpgradedDataDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path checkpoints = Files.createDirectories(DATA_DIR.resolve("etl").resolve("checkpoints"));
                Files.writeString(checkpoints.resolve("telecrm-leads.json"),
                        "{\"job\":\"telecrm-leads\",\"positions\":{\"created_on\":\"5000\"},\"savedAt\":\"2026-01-02T03:04:05Z\"}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("leadsync.data-dir", DATA_DIR.toString(), "leadsync.etl.lead-import.cron", "off",
                    "leadsync.etl.stages.cron", "off");
        }
    }

    @Inject
    EtlJobs jobs;

    @Inject
    EtlCheckpoints checkpoints;

    @Inject
    EtlRuns runs;

    static List<List<String>> query(String sql, String... args) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + DATA_DIR.resolve("store.db") + "?busy_timeout=10000");
                PreparedStatement select = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setString(i + 1, args[i]);
            }
            List<List<String>> result = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        row.add(rows.getString(i));
                    }
                    result.add(row);
                }
            }
            return result;
        }
    }

    static void execute(String sql, Object... args) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + DATA_DIR.resolve("store.db") + "?busy_timeout=10000");
                PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }

    @Test
    void checkpointFilesAreImportedIntoTheStoreOnce() throws Exception {
        assertThat(checkpoints.load("telecrm-leads"), is(Map.of("created_on", "5000")));
        assertThat(query("select positions, saved_at from etl_checkpoint where job = 'telecrm-leads'"),
                is(List.of(List.of("{\"created_on\":\"5000\"}", String.valueOf(Instant.parse("2026-01-02T03:04:05Z").toEpochMilli())))));
        Path etl = DATA_DIR.resolve("etl");
        assertThat(Files.exists(etl.resolve("checkpoints")), is(false));
        try (var renamed = Files.list(etl)) {
            assertThat(renamed.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoints.imported-")).toList(),
                    hasSize(1));
        }
        assertThat(checkpoints.load("truto-leads"), is(Map.of()));
    }

    @Test
    void runsAreListedFromTheStoreNewestFirstByJobAndLimit() throws Exception {
        String first = jobs.run("lead-import", "test").id();
        String second = jobs.run("lead-import", "test").id();
        jobs.record(new EtlRun(TimeOrderedIds.next(), "stages", "test", Instant.now(), Instant.now(), EtlRun.Status.SUCCEEDED,
                3, 0, List.of(), List.of("stages.csv"), null));
        assertThat(query("select status from etl_run where id in (?, ?)", first, second),
                is(List.of(List.of("SUCCEEDED"), List.of("SUCCEEDED"))));

        given().queryParam("limit", 2).get("/etl/runs").then().statusCode(200).body("runs.size()", is(2))
                .body("runs[0].job", is("stages")).body("runs[0].files[0]", is("stages.csv")).body("runs[0].records", is(3))
                .body("runs[1].id", is(second));
        given().queryParam("job", "lead-import").get("/etl/runs").then().statusCode(200)
                .body("runs.job", everyItem(is("lead-import"))).body("runs.id", org.hamcrest.Matchers.hasItems(second, first))
                .body("runs[0].status", not(is("RUNNING")));
        given().queryParam("job", "lead-import").queryParam("limit", 1).get("/etl/runs").then()
                .body("runs.size()", is(1)).body("runs[0].id", is(second));

        for (String limit : List.of("x", "0", "5000")) {
            given().queryParam("limit", limit).get("/etl/runs").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", is("query parameter 'limit' must be 1 to 1000, not '" + limit + "'"));
        }
        given().queryParam("job", "nope").get("/etl/runs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("query parameter 'job' must be one of ["))
                .body("detail", containsString("lead-import")).body("detail", containsString("not 'nope'"));
    }

    @Test
    void fullMustBeTrueOrFalseAndAnythingElseStartsNothing() throws Exception {
        List<List<String>> before = query("select id from etl_run where job = 'lead-import'");
        given().post("/etl/jobs/lead-import/run?full=maybe").then().statusCode(400).contentType("application/problem+json")
                .body("detail", is("query parameter 'full' must be true or false, not 'maybe'"));
        assertThat(query("select id from etl_run where job = 'lead-import'"), is(before));
        assertThat(jobs.isRunning("lead-import"), is(false));

        String id = given().post("/etl/jobs/lead-import/run?full=false").then().statusCode(202)
                .body("status", is("STARTED")).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> query("select status, trigger from etl_run where id = ?", id),
                is(List.of(List.of("SUCCEEDED", "api"))));
    }

    @Test
    void aRunLeftRunningByAnEarlierProcessIsMarkedInterruptedAndDoesNotBlockItsJob() throws Exception {
        String orphan = TimeOrderedIds.next();
        execute("insert into etl_run (id, job, trigger, owner, started_at, status) values (?, 'lead-import', 'schedule',"
                + " 'an-earlier-process', ?, 'RUNNING')", orphan, System.currentTimeMillis());
        assertThat(jobs.isRunning("lead-import"), is(true));

        String id = given().post("/etl/jobs/lead-import/run").then().statusCode(202).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> query("select status from etl_run where id = ?", id),
                is(List.of(List.of("SUCCEEDED"))));
        assertThat(query("select status, error, finished_at is not null from etl_run where id = ?", orphan),
                is(List.of(List.of("FAILED", "interrupted: the replica running it stopped", "1"))));
        given().queryParam("job", "lead-import").get("/etl/runs").then()
                .body("runs.find { it.id == '" + orphan + "' }.status", is("FAILED"));
        assertThat(query("select id from etl_run where status = 'RUNNING'"), is(empty()));
    }

    @Test
    void runsFinishedBeforeKeepDoneArePrunedAndRunningOnesStay() throws Exception {
        long eightDaysAgo = Instant.now().minus(Duration.ofDays(8)).toEpochMilli();
        String recent = jobs.run("lead-import", "test").id();
        String old = TimeOrderedIds.next();
        String stillRunning = TimeOrderedIds.next();
        execute("insert into etl_run (id, job, trigger, owner, started_at, finished_at, status) values (?, 'stages', 'test',"
                + " null, ?, ?, 'SUCCEEDED')", old, eightDaysAgo, eightDaysAgo);
        execute("insert into etl_run (id, job, trigger, owner, started_at, status) values (?, 'truto-leads', 'test',"
                + " 'an-earlier-process', ?, 'RUNNING')", stillRunning, eightDaysAgo);

        assertThat(runs.prune(Instant.now().minus(Duration.ofDays(7))), is(1));
        assertThat(query("select id from etl_run where id in (?, ?, ?) order by id", old, stillRunning, recent),
                is(List.of(List.of(recent), List.of(stillRunning))));
        execute("delete from etl_run where id = ?", stillRunning);
    }
}
