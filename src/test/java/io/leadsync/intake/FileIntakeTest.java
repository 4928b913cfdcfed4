package io.leadsync.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadsync.etl.EtlRun;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Files dropped into leadsync.intake.dir: every good line is delivered, every bad one is a dead letter naming its line. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class FileIntakeTest {

    static final String LEAD = "/superfone/enterprise/api/lead";

    Path intake;

    @jakarta.inject.Inject
    io.leadsync.etl.EtlJobs jobs;

    @BeforeEach
    void crm() {
        intake = Path.of(ConfigProvider.getConfig().getValue("leadsync.intake.dir", String.class));
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("superfone-lead-stages.json"))));
        given().queryParam("source", "superfone").post("/stages/refresh").then().statusCode(200);
        wireMock().stubFor(post(urlPathEqualTo(LEAD)).willReturn(aResponse().withStatus(200)
                .withBody("{\"data\":{\"id\":1},\"message\":\"success\"}")));
    }

    /** Writes the file under a hidden name first, as a careful operator would, then renames it into place. */
    void drop(String name, String content) throws Exception {
        Files.createDirectories(intake);
        Path temp = intake.resolve("." + name + ".part");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, intake.resolve(name));
    }

    /**
     * Waits until each phone's update reached Superfone once. Only this test's phones are counted: the app and its
     * WireMock are shared, and an update of another test may still be delivered meanwhile.
     */
    static void awaitOneUpsertEach(String... phones) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String phone : phones) {
                wireMock().verify(1, postRequestedFor(urlPathEqualTo(LEAD))
                        .withRequestBody(matchingJsonPath("$.customer_phone", equalTo(phone))));
            }
        });
    }

    /** A field of the dead letters whose origin is the file, in the order listed. */
    static List<String> deadLetterField(String file, String field) {
        return given().queryParam("limit", 1000).get("/dead-letters").then().extract().jsonPath()
                .getList("deadLetters.findAll { it.origin != null && it.origin.startsWith('file " + file + " ') }." + field);
    }

    @Test
    void csvWithQuotingAndBadRows() throws Exception {
        drop("batch-1.csv", """
                target,phone,name,stage,city,notes
                superfone,+919100000001,"Doe, Jane",Qualified,Pune,"said ""call me"" later"
                superfone,+919100000002,José Ñúñez,New Lead,São Paulo,"two
                lines"
                superfone,not-a-phone,Bad Row,Qualified,,
                superfone,+919100000003,Zoë,Qualified,Zürich,
                """);

        awaitOneUpsertEach("+919100000001", "+919100000002", "+919100000003");
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(LEAD)).withRequestBody(equalToJson("""
                {"customer_phone":"+919100000001","first_name":"Doe,","last_name":"Jane","lead_stage_name":"Qualified",
                 "city":"Pune","notes":"said \\"call me\\" later"}""", true, true)));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(LEAD)).withRequestBody(equalToJson("""
                {"customer_phone":"+919100000002","first_name":"José","last_name":"Ñúñez","city":"São Paulo",
                 "notes":"two\\nlines"}""", true, true)));

        assertThat(deadLetterField("batch-1.csv", "origin"), is(List.of("file batch-1.csv line 5")));
        assertThat(deadLetterField("batch-1.csv", "reason"), is(List.of("VALIDATION")));
        assertThat(deadLetterField("batch-1.csv", "error"), is(List.of("file batch-1.csv line 5: field 'phone':"
                + " 'not-a-phone' is not a phone number in E.164 form (+ and 7 to 15 digits)")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> doneFiles().anyMatch(n -> n.endsWith("batch-1.csv")));
        // The per-file summary: rows accepted, rejected with their line numbers.
        given().get("/etl/runs").then().statusCode(200)
                .body("runs.find { it.trigger == 'file batch-1.csv' }.job", is("lead-import"))
                .body("runs.find { it.trigger == 'file batch-1.csv' }.records", is(3))
                .body("runs.find { it.trigger == 'file batch-1.csv' }.errors", is(1))
                .body("runs.find { it.trigger == 'file batch-1.csv' }.skipped[0]", is("line 5: see GET /dead-letters"));
        assertThat(Files.exists(intake.resolve("batch-1.csv")), is(false));
    }

    @Test
    void jsonLinesWithABadLine() throws Exception {
        drop("batch-2.jsonl", """
                {"target":"superfone","phone":"+919200000001","stage":"Qualified"}
                {"target":"superfone","phone":"+919200000002",

                {"target":"nowhere","phone":"+919200000003"}
                {"target":"superfone","phone":"+919200000004","stage":"New Lead"}
                {"target":"superfone","phone":"+919200000005","stage":"Won","stageSource":"pipedrive"}
                """);
        awaitOneUpsertEach("+919200000001", "+919200000004");
        assertThat(deadLetterField("batch-2.jsonl", "origin"), containsInAnyOrder("file batch-2.jsonl line 2",
                "file batch-2.jsonl line 4", "file batch-2.jsonl line 6"));
        assertThat(deadLetterField("batch-2.jsonl", "raw"), containsInAnyOrder(
                "{\"target\":\"superfone\",\"phone\":\"+919200000002\",", "{\"target\":\"nowhere\",\"phone\":\"+919200000003\"}",
                "{\"target\":\"superfone\",\"phone\":\"+919200000005\",\"stage\":\"Won\",\"stageSource\":\"pipedrive\"}"));
        // An unknown target and an unknown stage source are refused alike, naming the field and the valid values.
        assertThat(deadLetterField("batch-2.jsonl", "error"), org.hamcrest.Matchers.hasItems(
                "file batch-2.jsonl line 4: field 'target': 'nowhere' is not an enabled target; the targets are"
                        + " [telecrm, superfone, truto:acc-1, truto:acc-2]",
                "file batch-2.jsonl line 6: field 'stageSource': 'pipedrive' is not an enabled source; the sources are"
                        + " [telecrm, superfone, truto:acc-1, truto:acc-2]"));
        wireMock().verify(0, postRequestedFor(urlPathEqualTo(LEAD))
                .withRequestBody(matchingJsonPath("$.customer_phone", equalTo("+919200000005"))));
        // A line that could not be read cannot be replayed as it is.
        given().post("/dead-letters/" + deadLetterField("batch-2.jsonl", "id").get(0) + "/replay").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void theLeadImportJobTakesEveryWaitingFileThroughRouting() throws Exception {
        Path imports = Path.of(ConfigProvider.getConfig().getValue("leadsync.etl.lead-import.dir", String.class));
        Files.createDirectories(imports);
        // The directory is shared with the bad-input suite (same profile): only this test's files are looked at.
        if (Files.isDirectory(imports.resolve(".done"))) {
            try (Stream<Path> earlier = Files.walk(imports.resolve(".done"))) {
                earlier.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.writeString(imports.resolve("import-1.csv"), """
                target,phone,name,stage
                superfone,+919300000001,Asha Rao,Qualified
                superfone,12345,Bad Phone,Qualified
                """, StandardCharsets.UTF_8);
        Files.writeString(imports.resolve("import-2.jsonl"), """
                {"target":"superfone","phone":"+919300000002","stage":"New Lead"}
                """, StandardCharsets.UTF_8);
        Files.writeString(imports.resolve("notes.txt"), "not an import", StandardCharsets.UTF_8);
        Thread.sleep(300); // older than leadsync.intake.min-age-ms, like a file that finished being written

        EtlRun run = jobs.run("lead-import", "test");
        assertThat(run.error(), run.status(), is(EtlRun.Status.SUCCEEDED));
        assertThat(run.records(), is(2L));
        assertThat(run.errors(), is(1L));
        assertThat(run.skipped(), is(List.of("import-1.csv line 3: see GET /dead-letters")));
        assertThat(run.files(), containsInAnyOrder("import-1.csv", "import-2.jsonl"));
        assertThat(deadLetterField("import-1.csv", "origin"), is(List.of("file import-1.csv line 3")));
        awaitOneUpsertEach("+919300000001", "+919300000002");
        try (Stream<Path> done = Files.list(imports.resolve(".done"))) {
            assertThat(done.map(p -> p.getFileName().toString().replaceFirst("^\\d{8}-\\d{6}-", "")).toList(),
                    containsInAnyOrder("import-1.csv", "import-2.jsonl"));
        }
        assertThat(Files.exists(imports.resolve("notes.txt")), is(true));

        // Nothing waiting: an empty, successful run.
        EtlRun empty = jobs.run("lead-import", "test");
        assertThat(empty.status(), is(EtlRun.Status.SUCCEEDED));
        assertThat(empty.records(), is(0L));
    }

    Stream<String> doneFiles() throws Exception {
        Path done = intake.resolve(".done");
        return Files.isDirectory(done) ? Files.list(done).map(p -> p.getFileName().toString()) : Stream.empty();
    }
}
