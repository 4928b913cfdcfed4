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
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/** LEADSYNC_RUN_ONCE=telecrm-leads, as a Kubernetes CronJob runs it: every lead once and exit 0, or exit 1 and no file. */
class RunOnceIT {

    static final String SEARCH = "/autoupdate/v2/enterprise/ent-7/lead/search";

    @Test
    void runOnceExportsEveryLeadAndExitsWithTheOutcome() throws Exception {
        WireMockServer telecrm = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        telecrm.start();
        try {
            for (int skip = 0; skip < 250; skip += 100) {
                StringBuilder rows = new StringBuilder();
                for (int i = skip; i < Math.min(skip + 100, 250); i++) {
                    rows.append(rows.isEmpty() ? "" : ",").append("{\"id\":\"L").append(i)
                            .append("\",\"fields\":{\"name\":\"Lead ").append(i).append("\",\"phone\":\"+91").append(9000000000L + i)
                            .append("\",\"status\":\"Fresh\"}}");
                }
                // The first page is slow, so the run outlasts the stage-poll timer's initial delay (1 s).
                telecrm.stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo(String.valueOf(skip)))
                        .willReturn(aResponse().withStatus(200).withFixedDelay(skip == 0 ? 1500 : 0)
                                .withBody("{\"data\":[" + rows + "],\"total_count\":250}")));
            }
            ServiceProcess once = new ServiceProcess("run-once")
                    .env("LEADSYNC_RUN_ONCE", "telecrm-leads")
                    .env("LEADSYNC_TELECRM_BASE_URL", "http://localhost:" + telecrm.port() + "/autoupdate/v2")
                    .env("LEADSYNC_TELECRM_ENTERPRISE_ID", "ent-7")
                    .env("LEADSYNC_TELECRM_TOKEN", "run-once-token-1234");
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

    static List<Path> files(Path dir, String suffix) throws Exception {
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
