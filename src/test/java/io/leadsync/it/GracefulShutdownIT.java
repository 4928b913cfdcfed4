package io.leadsync.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * SIGTERM during a backlog: intake closes with 503 and Retry-After, deliveries under way finish, updates waiting
 * (waiting, or for a retry) stay pending and are not dead-lettered; after the restart every update accepted,
 * before or during the stop, reaches the CRM exactly once.
 */
class GracefulShutdownIT {

    static final int UPDATES = 200;
    static final String LEAD = "/superfone/enterprise/api/lead";

    @Test
    void aStopDuringABacklogLosesNothingAndSendsNothingTwice() throws Exception {
        WireMockServer crm = new WireMockServer(WireMockConfiguration.options().dynamicPort().templatingEnabled(true));
        crm.start();
        try (ServiceProcess service = new ServiceProcess("sigterm")
                .env("LEADSYNC_SUPERFONE_BASE_URL", "http://localhost:" + crm.port() + "/superfone")
                .env("LEADSYNC_SUPERFONE_API_KEY", "shutdown-test-key-0042")
                .env("LEADSYNC_STAGES_INITIAL_DELAY", "1s")
                .env("LEADSYNC_DELIVERY_RETRY_MAX_REDELIVERIES", "1000")
                .env("LEADSYNC_DELIVERY_RETRY_DELAY_MS", "300")
                .env("LEADSYNC_DELIVERY_RETRY_MAX_DELAY_MS", "1000")
                .env("LEADSYNC_DELIVERY_CLAIM_INTERVAL_MS", "200")
                .env("QUARKUS_SHUTDOWN_DELAY", "2s")) {
            stubCatalogAndAnswers(crm, true);
            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < UPDATES; i++) {
                ids.add(send(service, i).then().statusCode(202).extract().jsonPath().getString("id"));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> successes(crm).size() >= 20);

            service.terminate();
            // Callers keep sending while the service stops: an update is either accepted (and then delivered) or
            // refused with 503 and Retry-After, until the port closes.
            int refused = 0;
            for (int i = UPDATES; i < UPDATES + 400; i++) {
                Response answer;
                try {
                    answer = send(service, i);
                } catch (Exception portClosed) {
                    break;
                }
                if (answer.statusCode() == 202) {
                    ids.add(answer.jsonPath().getString("id"));
                } else if (answer.statusCode() == 503 && !String.valueOf(answer.contentType()).contains("problem+json")) {
                    break; // Quarkus's own refusal once its shutdown runs (after leadsync's delay): the port is closing
                } else {
                    assertThat(answer.statusCode(), is(503));
                    assertThat(answer.header("Retry-After"), is("5"));
                    assertThat(answer.contentType(), containsString("application/problem+json"));
                    assertThat(answer.jsonPath().getString("detail"), containsString("stopping"));
                    refused++;
                }
                Thread.sleep(20);
            }
            assertThat("POST /leads answered 503 + Retry-After while stopping", refused, greaterThan(0));
            int exit = service.awaitExit(Duration.ofSeconds(60));
            String log = service.logText();
            assertThat("exit code " + exit + ", log " + service.log(), log, containsString("Lead intake closed"));
            assertThat(log, not(containsString("Forcing shutdown")));
            assertThat(log, not(containsString("Timeout occurred during graceful shutdown")));
            // What was not delivered is still PENDING in the store, and nothing was dead-lettered.
            Path store = service.workDir().resolve("data/store.db");
            assertThat("updates left pending by the stop",
                    count(store, "select count(*) from lead_update where status = 'PENDING'"), greaterThan(0L));
            assertThat(count(store, "select count(*) from dead_letter"), is(0L));

            for (ServeEvent call : successes(crm)) {
                firstRunPhones.add(JsonPath.from(call.getRequest().getBodyAsString()).getString("customer_phone"));
            }
            crm.resetAll();
            stubCatalogAndAnswers(crm, false);
            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                List<String> notDelivered = new ArrayList<>();
                for (String id : ids) {
                    JsonPath receipt = service.api().get("/leads/" + id).then().statusCode(200).extract().jsonPath();
                    if (!"DELIVERED".equals(receipt.getString("status"))) {
                        notDelivered.add(id + " " + receipt.getString("status"));
                    }
                }
                assertThat(notDelivered, is(empty()));
            });
            Map<String, Integer> deliveredPerPhone = new HashMap<>();
            for (ServeEvent call : successes(crm)) {
                deliveredPerPhone.merge(JsonPath.from(call.getRequest().getBodyAsString()).getString("customer_phone"), 1,
                        Integer::sum);
            }
            // Both runs' successful calls, by phone.
            for (String phone : firstRunPhones) {
                deliveredPerPhone.merge(phone, 1, Integer::sum);
            }
            assertThat(deliveredPerPhone.size(), is(ids.size()));
            assertThat(deliveredPerPhone.entrySet().stream().filter(e -> e.getValue() != 1).toList(), is(empty()));
            assertThat(service.api().get("/dead-letters").then().extract().jsonPath().getList("deadLetters"), is(empty()));
        } finally {
            crm.stop();
        }
    }

    private final List<String> firstRunPhones = new ArrayList<>();

    private static Response send(ServiceProcess service, int i) {
        return service.api().contentType("application/json")
                .body("{\"target\":\"superfone\",\"phone\":\"" + phone(i) + "\",\"stage\":\"Qualified\"}").post("/leads");
    }

    private static String phone(int i) {
        return "+91900000" + String.format("%04d", i);
    }

    /**
     * The CRM takes 250 ms per lead; while {@code someFail}, every tenth phone gets 503 and waits for a retry, so
     * the stop finds updates in back-off as well as waiting.
     */
    private static void stubCatalogAndAnswers(WireMockServer crm, boolean someFail) throws IOException {
        crm.stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage")).willReturn(aResponse().withStatus(200)
                .withBody(new String(GracefulShutdownIT.class.getResourceAsStream("/fixtures/superfone-lead-stages.json")
                        .readAllBytes()))));
        crm.stubFor(post(urlPathEqualTo(LEAD)).willReturn(aResponse().withStatus(200).withFixedDelay(250)
                .withTransformers("response-template")
                .withBody("{\"data\":{\"id\":\"{{jsonPath request.body '$.customer_phone'}}\"},\"message\":\"success\"}")));
        if (someFail) {
            crm.stubFor(post(urlPathEqualTo(LEAD)).atPriority(1)
                    .withRequestBody(matchingJsonPath("$.customer_phone", com.github.tomakehurst.wiremock.client.WireMock
                            .matching(".*3$")))
                    .willReturn(aResponse().withStatus(503).withBody("{\"message\":\"busy\"}")));
        }
    }

    private static List<ServeEvent> successes(WireMockServer crm) {
        return crm.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST") && e.getRequest().getUrl().equals(LEAD)
                        && e.getResponse().getStatus() == 200)
                .toList();
    }

    /** Reads the stopped service's SQLite store directly. */
    private static long count(Path store, String sql) throws java.sql.SQLException {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
                java.sql.ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
