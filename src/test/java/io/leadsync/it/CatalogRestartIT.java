package io.leadsync.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.restassured.path.json.JsonPath;

/** A restart serves the last good catalog even while the CRM is down. */
class CatalogRestartIT {

    static final String TOKEN = "it-secret-token-5d1e";

    @Test
    void catalogSurvivesAKillAndIsServedWhileTheCrmIsDown() throws Exception {
        WireMockServer telecrm = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        telecrm.start();
        String pipeline = new String(CatalogRestartIT.class.getResourceAsStream("/fixtures/telecrm-lead-stage-pipeline.json")
                .readAllBytes());
        telecrm.stubFor(get(urlPathEqualTo("/autoupdate/v2/enterprise/ent-9/lead-stage-pipeline"))
                .willReturn(aResponse().withStatus(200).withBody(pipeline)));

        try (ServiceProcess service = new ServiceProcess("restart")
                .env("LEADSYNC_TELECRM_BASE_URL", "http://localhost:" + telecrm.port() + "/autoupdate/v2")
                .env("LEADSYNC_TELECRM_ENTERPRISE_ID", "ent-9")
                .env("LEADSYNC_TELECRM_TOKEN", TOKEN)
                .env("LEADSYNC_STAGES_INITIAL_DELAY", "1s")
                // After kill -9 the dead process's file lock must go stale before the restart leads and polls.
                .env("LEADSYNC_CLUSTER_TAKEOVER", "3s")
                .env("LEADSYNC_STAGES_RETRY_DELAY_MS", "10")) {
            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));

            service.kill();
            telecrm.stop();
            assertThat(Files.exists(service.workDir().resolve(Path.of("data", "catalogs", "telecrm.json"))), is(true));

            service.start();
            JsonPath served = service.api().get("/stages").then().statusCode(200).extract().jsonPath();
            assertThat(served.getList("stages.name"), contains("Fresh", "Contacted", "Qualified", "Won", "Lost"));
            assertThat(served.getList("lostReasons.name"), contains("Price too high", "No Need"));

            // The first poll after the restart fails: the source says why, the catalog stays.
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("FAILING")));
            JsonPath failing = service.api().get("/stages").then().extract().jsonPath();
            assertThat(failing.getString("sources[0].error"), startsWith("connection failed"));
            assertThat(failing.getList("stages.name"), contains("Fresh", "Contacted", "Qualified", "Won", "Lost"));
            assertThat(service.logText(), not(containsString(TOKEN)));
            assertThat(service.starts(), is(2));
        }
    }
}
