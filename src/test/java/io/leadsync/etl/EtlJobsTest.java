package io.leadsync.etl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.leadsync.testing.CrmFakes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** The telecrm-leads export: every lead exactly once, CSV quoting, malformed rows counted, failed runs leave nothing. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class EtlJobsTest {

    static final String SEARCH = "/telecrm/autoupdate/v2/enterprise/ent-1/lead/search";

    @Inject
    EtlJobs jobs;

    @BeforeEach
    void reset() {
        wireMock().resetAll();
    }

    static void page(int skip, int total, String... rows) {
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo(String.valueOf(skip)))
                .withQueryParam("limit", equalTo("2"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":[" + String.join(",", rows) + "],\"total_count\":" + total + "}")));
    }

    static String lead(String id, String name, String phone) {
        return "{\"id\":\"" + id + "\",\"fields\":{\"name\":" + quote(name) + ",\"phone\":\"" + phone
                + "\",\"status\":\"Fresh\",\"rating\":4}}";
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Test
    void everyLeadExactlyOnceInBothFormats() throws Exception {
        page(0, 5, lead("a1", "Doe, Jane", "+911"), lead("a2", "Said \"hi\"", "+912"));
        page(2, 5, lead("a3", "Two\nLines", "+913"), lead("a4", "José Ñúñez", "+914"));
        page(4, 5, lead("a5", "Zoë", "+915"));

        EtlRun run = jobs.run("telecrm-leads", "test", true);
        assertThat(run.error(), run.status(), is(EtlRun.Status.SUCCEEDED));
        assertThat(run.records(), is(5L));
        wireMock().verify(3, postRequestedFor(urlPathEqualTo(SEARCH))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TELECRM_TOKEN))
                .withRequestBody(equalToJson("{}")));

        Path jsonl = Path.of(run.files().get(0));
        List<JsonPath> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8).stream().map(JsonPath::from).toList();
        assertThat(lines.stream().map(l -> l.getString("leadId")).toList(), contains("a1", "a2", "a3", "a4", "a5"));
        assertThat(lines.get(2).getString("name"), is("Two\nLines"));
        assertThat(lines.get(0).getString("stage"), is("Fresh"));
        assertThat(lines.get(0).getInt("fields.rating"), is(4));

        List<Map<String, String>> csv = readCsv(Path.of(run.files().get(1)));
        assertThat(csv.stream().map(r -> r.get("name")).toList(),
                contains("Doe, Jane", "Said \"hi\"", "Two\nLines", "José Ñúñez", "Zoë"));
        assertThat(csv.get(0).get("source"), is("telecrm"));
        assertThat(JsonPath.from(csv.get(0).get("fields")).getInt("rating"), is(4));
    }

    @Test
    void malformedRowsAreCountedWithTheirPosition() {
        page(0, 3, lead("b1", "Ok", "+921"), "\"not a lead\"");
        page(2, 3, "{\"id\":\"b3\"}");
        EtlRun run = jobs.run("telecrm-leads", "test");
        assertThat(run.status(), is(EtlRun.Status.SUCCEEDED));
        assertThat(run.records(), is(1L));
        assertThat(run.errors(), is(2L));
        assertThat(run.skipped().get(0), containsString("lead 2: not a lead row with 'fields'"));
        assertThat(run.skipped().get(1), containsString("lead 3: not a lead row with 'fields'"));
    }

    @Test
    void aFailedRunLeavesNoExportFile() throws Exception {
        page(0, 4, lead("c1", "One", "+931"), lead("c2", "Two", "+932"));
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo("2"))
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"code\":\"INTERNAL\",\"message\":\"boom\"}}")));
        long before = exportFiles().count();

        EtlRun run = jobs.run("telecrm-leads", "test");
        assertThat(run.status(), is(EtlRun.Status.FAILED));
        assertThat(run.error(), containsString("HTTP 500: INTERNAL boom"));
        assertThat(run.files(), empty());
        assertThat(exportFiles().count(), is(before));
        // The first try and leadsync.etl.retry.max-redeliveries (1 in CrmFakes) more; the stage polls' key says 2.
        wireMock().verify(2, postRequestedFor(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo("2")));
    }

    @Test
    void runsAreStartedByTheApiListedAndNeverOverlap() {
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(200).withFixedDelay(700)
                .withBody("{\"data\":[" + lead("d1", "Slow", "+941") + "],\"total_count\":1}")));
        String id = given().post("/etl/jobs/telecrm-leads/run").then().statusCode(202).body("status", is("STARTED"))
                .extract().path("id");
        // Started in the store before the answer: listed at once, and a second start is refused.
        given().queryParam("job", "telecrm-leads").get("/etl/runs").then().body("runs[0].id", is(id))
                .body("runs[0].status", is("RUNNING"));
        assertThat(jobs.isRunning("telecrm-leads"), is(true));
        given().post("/etl/jobs/telecrm-leads/run").then().statusCode(409).contentType("application/problem+json")
                .body("detail", is("job 'telecrm-leads' is already running; two runs of one job never overlap"));

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/etl/runs").then()
                .body("runs[0].id", is(id)).body("runs[0].job", is("telecrm-leads")).body("runs[0].status", is("SUCCEEDED"))
                .body("runs[0].trigger", is("api")).body("runs[0].records", is(1)));
        given().post("/etl/jobs/nightly-magic/run").then().statusCode(404).contentType("application/problem+json");
    }

    static String created(String id, long createdOn) {
        return "{\"id\":\"" + id + "\",\"fields\":{\"name\":\"N" + id + "\",\"created_on\":" + createdOn + "}}";
    }

    @Test
    void incrementalRunsStartAtTheCheckpointAndOnlySuccessMovesIt() throws Exception {
        page(0, 3, created("i1", 1000), created("i2", 3000));
        page(2, 3, created("i3", 2000));
        assertThat(jobs.run("telecrm-leads", "test", true).status(), is(EtlRun.Status.SUCCEEDED));
        wireMock().verify(postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(equalToJson("{}")));
        assertThat(storedCheckpoint(), is("{\"created_on\":\"3000\"}"));

        wireMock().resetAll();
        page(0, 2, created("i2", 3000), created("i4", 5000));
        page(2, 2);
        EtlRun incremental = jobs.run("telecrm-leads", "test");
        assertThat(incremental.records(), is(2L));
        wireMock().verify(postRequestedFor(urlPathEqualTo(SEARCH))
                .withRequestBody(equalToJson("{\"fields\":{\"created_on\":{\"from\":3000}}}")));

        wireMock().resetAll();
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"nope\"}}")));
        assertThat(storedCheckpoint(), is("{\"created_on\":\"5000\"}"));
        assertThat(jobs.run("telecrm-leads", "test").status(), is(EtlRun.Status.FAILED));
        wireMock().verify(postRequestedFor(urlPathEqualTo(SEARCH))
                .withRequestBody(equalToJson("{\"fields\":{\"created_on\":{\"from\":5000}}}")));
        assertThat(storedCheckpoint(), is("{\"created_on\":\"5000\"}"));

        wireMock().resetAll();
        page(0, 0);
        assertThat(jobs.run("telecrm-leads", "test").status(), is(EtlRun.Status.SUCCEEDED));
        // the failed run did not move the checkpoint
        wireMock().verify(postRequestedFor(urlPathEqualTo(SEARCH))
                .withRequestBody(equalToJson("{\"fields\":{\"created_on\":{\"from\":5000}}}")));
        jobs.run("telecrm-leads", "test", true);
        wireMock().verify(postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(equalToJson("{}")));
    }

    /** The checkpoint is in the store, not in a file: every replica starts where the last run ended. */
    static String storedCheckpoint() throws Exception {
        Path dataDir = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("leadsync.data-dir", String.class));
        assertThat(Files.exists(dataDir.resolve("etl").resolve("checkpoints")), is(false));
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("store.db"));
                java.sql.ResultSet row = db.createStatement()
                        .executeQuery("select positions from etl_checkpoint where job = 'telecrm-leads'")) {
            return row.next() ? row.getString(1) : null;
        }
    }

    @Test
    void stagesExportHoldsEveryEnabledSourcesCatalog() throws Exception {
        EtlRun run = jobs.run("stages", "test");
        assertThat(run.status(), is(EtlRun.Status.SUCCEEDED));
        List<Map<String, String>> csv = readCsv(Path.of(run.files().get(1)));
        assertThat((long) csv.size(), is(run.records()));
        assertThat(Files.readAllLines(Path.of(run.files().get(0))).size(), is(csv.size()));
    }

    static List<Map<String, String>> readCsv(Path file) throws Exception {
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(new StringReader(Files.readString(file)))) {
            return rows.readAll();
        }
    }

    Stream<Path> exportFiles() throws Exception {
        Path dir = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("leadsync.etl.export-dir", String.class));
        return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
    }
}
