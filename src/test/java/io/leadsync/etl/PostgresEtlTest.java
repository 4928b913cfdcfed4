package io.leadsync.etl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With a PostgreSQL URL the same runs fill the lead table (idempotently) and keep the stage history. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(PostgresEtlTest.WithPostgres.class)
class PostgresEtlTest {

    public static class WithPostgres implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
        }
    }

    static final String SEARCH = "/telecrm/autoupdate/v2/enterprise/ent-1/lead/search";
    static final String PIPELINE = "/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline";

    @Inject
    EtlJobs jobs;

    @BeforeEach
    void reset() {
        wireMock().resetAll();
        for (String path : List.of("/superfone/enterprise/api/lead-stage", "/truto/unified/crm/stages")) {
            wireMock().stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500)));
        }
    }

    static List<List<Object>> query(String sql) throws Exception {
        try (Connection db = EmbeddedPostgresResource.postgres().getPostgresDatabase().getConnection();
                Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<List<Object>> result = new ArrayList<>();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.add(rows.getObject(i) == null ? null : rows.getObject(i).toString());
                }
                result.add(row);
            }
            return result;
        }
    }

    void leads(String... rows) {
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo("0"))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":[" + String.join(",", rows) + "],\"total_count\":"
                        + rows.length + "}")));
    }

    @Test
    void leadsAreUpsertedAndTwoRunsGiveTheSameRows() throws Exception {
        leads("{\"id\":\"p1\",\"fields\":{\"name\":\"Jane\",\"phone\":\"+911\",\"status\":\"Fresh\",\"rating\":4}}",
                "{\"id\":\"p2\",\"fields\":{\"name\":\"Ravi\",\"phone\":\"+912\",\"status\":\"Won\"}}");
        assertThat(jobs.run("telecrm-leads", "test").status(), is(EtlRun.Status.SUCCEEDED));
        List<List<Object>> first = query("select source, lead_id, stage, phone, name, fields->>'rating' from lead order by lead_id");
        assertThat(first, is(List.of(List.of("telecrm", "p1", "Fresh", "+911", "Jane", "4"),
                java.util.Arrays.asList("telecrm", "p2", "Won", "+912", "Ravi", null))));

        EtlRun again = jobs.run("telecrm-leads", "test");
        assertThat(again.files(), hasItem("postgresql:lead"));
        assertThat(query("select source, lead_id, stage, phone, name, fields->>'rating' from lead order by lead_id"), is(first));

        leads("{\"id\":\"p1\",\"fields\":{\"name\":\"Jane\",\"phone\":\"+911\",\"status\":\"Qualified\"}}");
        jobs.run("telecrm-leads", "test");
        assertThat(query("select stage from lead where lead_id = 'p1'"), is(List.of(List.of("Qualified"))));
    }

    @Test
    void aFailedRunChangesNoRow() throws Exception {
        leads("{\"id\":\"f1\",\"fields\":{\"name\":\"Kept\",\"phone\":\"+931\"}}");
        jobs.run("telecrm-leads", "test");
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo("0"))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":[{\"id\":\"f1\",\"fields\":{\"name\":\"Changed\"}},"
                        + "{\"id\":\"f2\",\"fields\":{\"name\":\"New\"}}],\"total_count\":4}")));
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo("2"))
                .willReturn(aResponse().withStatus(403).withBody("{\"error\":{\"code\":\"FORBIDDEN\",\"message\":\"no\"}}")));
        assertThat(jobs.run("telecrm-leads", "test").status(), is(EtlRun.Status.FAILED));
        assertThat(query("select name from lead where lead_id = 'f1'"), is(List.of(List.of("Kept"))));
        assertThat(query("select count(*) from lead where lead_id = 'f2'"), is(List.of(List.of("0"))));
    }

    @Test
    void stagesKeepTheirHistory() throws Exception {
        wireMock().stubFor(get(urlPathEqualTo(PIPELINE)).willReturn(aResponse().withStatus(200).withBody("""
                {"leadStages":[{"stageid":"o","stageType":"OPEN","activeStatuses":[
                   {"statusid":1,"label":"Fresh"},{"statusid":2,"label":"Contacted"}],"archivedStatuses":[]}]}""")));
        jobs.run("stages", "test");
        wireMock().stubFor(get(urlPathEqualTo(PIPELINE)).willReturn(aResponse().withStatus(200).withBody("""
                {"leadStages":[{"stageid":"o","stageType":"OPEN","activeStatuses":[
                   {"statusid":1,"label":"New"},{"statusid":3,"label":"Qualified"}],"archivedStatuses":[]}]}""")));
        jobs.run("stages", "test");

        List<List<Object>> history = query("select stage_id, name, valid_to is null from stage_history"
                + " where source = 'telecrm' order by stage_id, valid_from");
        assertThat(history, contains(
                List.of("1", "Fresh", "false"), List.of("1", "New", "true"), // renamed: old version closed
                List.of("2", "Contacted", "false"),                          // gone: closed
                List.of("3", "Qualified", "true")));                         // appeared
        // An unchanged catalog adds nothing.
        jobs.run("stages", "test");
        assertThat(query("select count(*) from stage_history where source = 'telecrm'"), is(List.of(List.of("4"))));
        given().get("/q/health/ready").then().statusCode(200);
    }

    static void execute(String sql) throws Exception {
        try (Connection db = EmbeddedPostgresResource.postgres().getPostgresDatabase().getConnection();
                Statement statement = db.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    @Test
    void aRunOfAnotherLiveReplicaBlocksTheJobUntilItsLeaseRunsOut() throws Exception {
        jobs.runs(null, 1); // the store's schema is there
        String orphan = io.leadsync.storage.TimeOrderedIds.next();
        execute("insert into replica (id, lease_until) values ('other-replica',"
                + " cast(extract(epoch from clock_timestamp()) * 1000 as bigint) + 600000)");
        execute("insert into etl_run (id, job, trigger, owner, started_at, status) values ('" + orphan
                + "', 'lead-import', 'schedule', 'other-replica', 1, 'RUNNING')");

        // Alive elsewhere: refused here, and nothing runs.
        given().post("/etl/jobs/lead-import/run").then().statusCode(409).contentType("application/problem+json")
                .body("detail", is("job 'lead-import' is already running; two runs of one job never overlap"));
        assertThrows(EtlJobs.JobRunningException.class, () -> jobs.run("lead-import", "test"));
        assertThat(query("select id, status from etl_run where job = 'lead-import' and (status = 'RUNNING' or trigger <> 'schedule')"),
                is(List.of(List.of(orphan, "RUNNING"))));
        given().queryParam("job", "lead-import").get("/etl/runs").then().statusCode(200)
                .body("runs.findAll { it.status == 'RUNNING' }.id", is(List.of(orphan)));

        // Its lease ran out: the replica died; its run is interrupted and the next one runs.
        execute("update replica set lease_until = 0 where id = 'other-replica'");
        String id = given().post("/etl/jobs/lead-import/run").then().statusCode(202).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> query("select status from etl_run where id = '" + id + "'"), is(List.of(List.of("SUCCEEDED"))));
        assertThat(query("select status, error, finished_at is not null from etl_run where id = '" + orphan + "'"),
                is(List.of(List.of("FAILED", "interrupted: the replica running it stopped", "true"))));
    }
}
