package io.leadsync.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.leadsync.badinput.Tally;
import io.restassured.path.json.JsonPath;

/**
 * Family "CRM answers and network faults", the fault the shared test app cannot show: a CRM host whose name does not
 * resolve (DNS) — the service knew TeleCRM's catalog, then restarts pointed at {@code crm.invalid}: the poll and a
 * delivery each fail with a reason naming the host, no stack trace, no token, and the catalog stays served — and a CRM
 * that closes idle keep-alive connections.
 */
@ExtendWith(Tally.class)
class CrmNetworkIT {

    static final String FAMILY = "CRM answers and network faults";
    static final String TOKEN = "it-dns-token-4b2c";

    @Test
    void aHostThatDoesNotResolveIsNamed() throws Exception {
        WireMockServer telecrm = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        telecrm.start();
        String pipeline = new String(CrmNetworkIT.class.getResourceAsStream("/fixtures/telecrm-lead-stage-pipeline.json")
                .readAllBytes());
        telecrm.stubFor(get(urlPathEqualTo("/autoupdate/v2/enterprise/ent-9/lead-stage-pipeline"))
                .willReturn(aResponse().withStatus(200).withBody(pipeline)));
        try (ServiceProcess service = new ServiceProcess("dns")
                .env("LEADSYNC_TELECRM_BASE_URL", "http://localhost:" + telecrm.port() + "/autoupdate/v2")
                .env("LEADSYNC_TELECRM_ENTERPRISE_ID", "ent-9")
                .env("LEADSYNC_TELECRM_TOKEN", TOKEN)
                .env("LEADSYNC_STAGES_INITIAL_DELAY", "1s")
                .env("LEADSYNC_STAGES_POLL_INTERVAL", "2s")
                .env("LEADSYNC_CLUSTER_TAKEOVER", "3s")
                .env("LEADSYNC_STAGES_RETRY_DELAY_MS", "10")
                .env("LEADSYNC_DELIVERY_RETRY_MAX_REDELIVERIES", "1")
                .env("LEADSYNC_DELIVERY_RETRY_DELAY_MS", "10")) {
            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));
            service.terminate();
            service.awaitExit(Duration.ofSeconds(30));
            telecrm.stop();

            service.env("LEADSYNC_TELECRM_BASE_URL", "http://crm.invalid/autoupdate/v2").start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("FAILING")));
            JsonPath stages = service.api().get("/stages").then().extract().jsonPath();
            assertThat(stages.getString("sources[0].error"), containsString("unknown host: the CRM's host name does not resolve (crm.invalid"));
            assertThat(stages.getList("stages").size(), is(5));

            String id = service.api().contentType("application/json")
                    .body("{\"target\":\"telecrm\",\"phone\":\"+919812345678\",\"stage\":\"Qualified\"}")
                    .post("/leads").then().statusCode(202).extract().jsonPath().getString("id");
            JsonPath[] letter = new JsonPath[1];
            Awaitility.await("dead letter of " + id).atMost(Duration.ofSeconds(30)).until(() -> {
                letter[0] = service.api().get("/dead-letters").then().statusCode(200).extract().jsonPath()
                        .setRootPath("deadLetters.find { it.updateId == '" + id + "' }");
                return letter[0].getString("reason") != null;
            });
            String input = "telecrm delivery: its host does not resolve (crm.invalid)";
            if (!"UNREACHABLE".equals(letter[0].getString("reason"))
                    || !letter[0].getString("error").contains("unknown host: the CRM's host name does not resolve (crm.invalid")) {
                org.junit.jupiter.api.Assertions.fail(input + ": " + letter[0].getString("reason") + " " + letter[0].getString("error"));
            }
            assertThat(letter[0].getInt("attempts"), is(2));
            assertThat(service.logText(), not(containsString(TOKEN)));
            Tally.record(FAMILY, input, Tally.Outcome.DEAD_LETTERED);
        } finally {
            telecrm.stop();
        }
    }

    /**
     * A CRM that closes keep-alive connections once idle (its Jetty's idle time-out, 200 ms), without saying so: the
     * next update finds its pooled connection dead. Each must still reach the CRM exactly once.
     */
    @Test
    void connectionsTheCrmClosedAreNotAFailedDelivery() throws Exception {
        WireMockServer superfone = new WireMockServer(WireMockConfiguration.options().dynamicPort().jettyIdleTimeout(200L));
        superfone.start();
        String stages = new String(CrmNetworkIT.class.getResourceAsStream("/fixtures/superfone-lead-stages.json").readAllBytes());
        superfone.stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage"))
                .willReturn(aResponse().withStatus(200).withBody(stages)));
        superfone.stubFor(post(urlPathEqualTo("/superfone/enterprise/api/lead"))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":{\"id\":1},\"message\":\"success\"}")));
        try (ServiceProcess service = new ServiceProcess("keep-alive")
                .env("LEADSYNC_SUPERFONE_BASE_URL", "http://localhost:" + superfone.port() + "/superfone")
                .env("LEADSYNC_SUPERFONE_API_KEY", TOKEN)
                .env("LEADSYNC_SUPERFONE_CONCURRENCY", "1")
                .env("LEADSYNC_STAGES_INITIAL_DELAY", "1s")
                .env("LEADSYNC_DELIVERY_RETRY_MAX_REDELIVERIES", "1")
                .env("LEADSYNC_DELIVERY_RETRY_DELAY_MS", "10")) {
            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));
            for (int i = 0; i < 6; i++) {
                String phone = "+9184000000" + (10 + i);
                String input = "superfone delivery " + (i + 1) + " after the CRM closed the idle connection";
                Thread.sleep(600); // idle past the CRM's time-out: it closes the pooled connection
                String id = service.api().contentType("application/json")
                        .body("{\"target\":\"superfone\",\"phone\":\"" + phone + "\",\"stage\":\"Qualified\"}")
                        .post("/leads").then().statusCode(202).extract().jsonPath().getString("id");
                String[] status = new String[1];
                Awaitility.await(input).atMost(Duration.ofSeconds(30)).until(() -> {
                    status[0] = service.api().get("/leads/" + id).then().statusCode(200).extract().jsonPath().getString("status");
                    return !"PENDING".equals(status[0]);
                });
                int arrived = superfone.findAll(postRequestedFor(urlPathEqualTo("/superfone/enterprise/api/lead"))
                        .withRequestBody(containing(phone.substring(1)))).size();
                if (!"DELIVERED".equals(status[0]) || arrived != 1) {
                    Tally.record(FAMILY, input, arrived == 0 ? Tally.Outcome.LOST : arrived > 1 ? Tally.Outcome.DUPLICATED
                            : Tally.Outcome.DEAD_LETTERED);
                    org.junit.jupiter.api.Assertions.fail(input + ": " + status[0] + ", arrived " + arrived + " times");
                }
                Tally.record(FAMILY, input, Tally.Outcome.RECOVERED);
            }
        } finally {
            superfone.stop();
        }
    }
}
