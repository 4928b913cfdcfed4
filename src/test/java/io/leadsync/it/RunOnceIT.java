package io.leadsync.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * LEADSYNC_RUN_ONCE=telecrm-leads, as a Kubernetes CronJob runs it: every lead once and exit 0, or exit 1 and
 * no file; with a PostgreSQL URL the same run fills the lead table.
 */
class RunOnceIT {

    static final String SEARCH = "/autoupdate/v2/enterprise/ent-7/lead/search";

    @Test
    void runOnceExportsEveryLeadAndExitsWithTheOutcome() throws Exception {
        WireMockServer telecrm = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        telecrm.start();
        try {
            stubLeads(telecrm, 250, 1500); // the first page is slow: the run outlasts the stage-poll timer's delay (1 s)
            ServiceProcess once = runOnce("run-once", telecrm);
            assertThat(once.runToExit(Duration.ofSeconds(60)), is(0));
            Path exports = once.workDir().resolve(Path.of("data", "exports"));
            List<Path> jsonl = files(exports, ".jsonl");
            assertThat(jsonl.size(), is(1));
            List<String> lines = Files.readAllLines(jsonl.get(0));
            assertThat(lines.size(), is(250));
            assertThat(lines.stream().distinct().count(), is(250L));
            assertThat(once.logText(), containsString("ETL telecrm-leads (run-once): SUCCEEDED, 250 records"));
            // The process did its one job: no stage poll on the side.
            telecrm.verify(0, getRequestedFor(urlPathMatching(".*/lead-stage-pipeline")));

            telecrm.resetAll();
            telecrm.stubFor(post(urlPathEqualTo(SEARCH)).willReturn(aResponse().withStatus(401)
                    .withBody("{\"error\":{\"code\":\"NOT_AUTHORIZED\",\"message\":\"bad token\"}}")));
            assertThat(once.runToExit(Duration.ofSeconds(60)), is(1));
            assertThat(files(exports, ".jsonl").size(), is(1)); // the failed run left no file, complete or not
            assertThat(files(exports, ".part").size(), is(0));
            assertThat(once.logText().contains("run-once-token-1234"), is(false));
        } finally {
            telecrm.stop();
        }
    }

    @Test
    void runOnceWithAPostgresUrlFillsTheLeadTable() throws Exception {
        WireMockServer telecrm = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        telecrm.start();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            stubLeads(telecrm, 250, 0);
            ServiceProcess once = runOnce("run-once-db", telecrm)
                    .env("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"))
                    .env("QUARKUS_DATASOURCE_USERNAME", "postgres")
                    .env("QUARKUS_DATASOURCE_PASSWORD", "postgres");
            assertThat(once.runToExit(Duration.ofSeconds(60)), is(0));
            assertThat(leadRows(postgres), is(List.of(250L, 250L)));
            // A second full run upserts the same rows: still one row per lead.
            assertThat(once.env("LEADSYNC_ETL_FULL", "true").runToExit(Duration.ofSeconds(60)), is(0));
            assertThat(leadRows(postgres), is(List.of(250L, 250L)));
        } finally {
            telecrm.stop();
        }
    }

    /** Rows in the lead table, and distinct TeleCRM lead ids among them. */
    static List<Long> leadRows(EmbeddedPostgres postgres) throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement query = db.createStatement();
                ResultSet row = query.executeQuery("select count(*), count(distinct lead_id) from lead where source = 'telecrm'")) {
            row.next();
            return List.of(row.getLong(1), row.getLong(2));
        }
    }

    /** TeleCRM's lead search answering {@code total} leads, 100 a page, the first page after a delay. */
    static void stubLeads(WireMockServer telecrm, int total, int firstPageDelayMs) {
        for (int skip = 0; skip < total; skip += 100) {
            StringBuilder rows = new StringBuilder();
            for (int i = skip; i < Math.min(skip + 100, total); i++) {
                rows.append(rows.isEmpty() ? "" : ",").append("{\"id\":\"L").append(i)
                        .append("\",\"fields\":{\"name\":\"Lead ").append(i).append("\",\"phone\":\"+91").append(9000000000L + i)
                        .append("\",\"status\":\"Fresh\"}}");
            }
            telecrm.stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo(String.valueOf(skip)))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(skip == 0 ? firstPageDelayMs : 0)
                            .withBody("{\"data\":[" + rows + "],\"total_count\":" + total + "}")));
        }
    }

    static ServiceProcess runOnce(String name, WireMockServer telecrm) {
        return new ServiceProcess(name)
                .env("LEADSYNC_RUN_ONCE", "telecrm-leads")
                .env("LEADSYNC_TELECRM_BASE_URL", "http://localhost:" + telecrm.port() + "/autoupdate/v2")
                .env("LEADSYNC_TELECRM_ENTERPRISE_ID", "ent-7")
                .env("LEADSYNC_TELECRM_TOKEN", "run-once-token-1234");
    }

    static List<Path> files(Path dir, String suffix) throws Exception {
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
