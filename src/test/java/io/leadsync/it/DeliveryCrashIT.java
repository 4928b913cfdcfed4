package io.leadsync.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.path.json.JsonPath;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Nothing lost, nothing twice: 200 updates accepted while the CRM answers 503, the process killed
 * without a graceful stop, restarted, the CRM recovered — every update ends DELIVERED exactly once
 * (one successful CRM call) or as a dead letter with a reason; none is missing. On both stores: SQLite in the
 * data dir, and PostgreSQL, where the restarted process is a new replica that takes its predecessor's updates
 * over once the old lease has expired.
 */
@ExtendWith(ServiceLogs.class)
class DeliveryCrashIT {

    static final int UPDATES = 200;
    static final String LEAD = "/superfone/enterprise/api/lead";

    enum StoreKind {
        SQLITE, POSTGRESQL
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StoreKind.class)
    void acceptedUpdatesSurviveAKillAndAreDeliveredOnce(StoreKind kind) throws Exception {
        WireMockServer crm = new WireMockServer(WireMockConfiguration.options().dynamicPort().templatingEnabled(true));
        crm.start();
        EmbeddedPostgres postgres = kind == StoreKind.POSTGRESQL ? EmbeddedPostgres.builder().start() : null;
        try (ServiceProcess service = new ServiceProcess("crash-" + kind.name().toLowerCase(java.util.Locale.ROOT))
                .env("LEADSYNC_SUPERFONE_BASE_URL", "http://localhost:" + crm.port() + "/superfone")
                .env("LEADSYNC_SUPERFONE_API_KEY", "crash-test-key-0042")
                .env("LEADSYNC_STAGES_INITIAL_DELAY", "1s")
                .env("LEADSYNC_DELIVERY_RETRY_MAX_REDELIVERIES", "1000")
                .env("LEADSYNC_DELIVERY_RETRY_DELAY_MS", "100")
                .env("LEADSYNC_DELIVERY_RETRY_MAX_DELAY_MS", "500")
                .env("LEADSYNC_DELIVERY_CLAIM_INTERVAL_MS", "200")) {
            if (postgres != null) {
                service.env("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"))
                        .env("QUARKUS_DATASOURCE_USERNAME", "postgres")
                        .env("QUARKUS_DATASOURCE_PASSWORD", "postgres")
                        // The restarted process is another replica: it takes the killed one's updates after this.
                        .env("LEADSYNC_CLUSTER_TAKEOVER", "3s");
            }
            crm.stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage")).willReturn(aResponse().withStatus(200)
                    .withBody(new String(getClass().getResourceAsStream("/fixtures/superfone-lead-stages.json").readAllBytes()))));
            crm.stubFor(post(urlPathEqualTo(LEAD)).willReturn(aResponse().withStatus(503).withBody("{\"message\":\"down\"}")));

            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));

            List<String> ids = new ArrayList<>();
            Map<String, String> phoneOf = new HashMap<>();
            for (int i = 0; i < UPDATES; i++) {
                String phone = "+91900000" + String.format("%04d", i);
                String stage = i % 10 == 0 ? "No Such Stage" : "Qualified"; // every tenth is a VALIDATION dead letter
                String id = service.api().contentType("application/json")
                        .body("{\"target\":\"superfone\",\"phone\":\"" + phone + "\",\"stage\":\"" + stage + "\"}")
                        .post("/leads").then().statusCode(202).extract().jsonPath().getString("id");
                ids.add(id);
                phoneOf.put(id, phone);
            }
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> crm.findAll(postRequestedFor(urlPathEqualTo(LEAD))).size() > UPDATES);
            // The state is where this run says it is, not in the other store.
            assertThat(service.logText(), containsString("Lead routing state is in "
                    + (postgres != null ? "PostgreSQL" : "SQLite")));
            if (postgres != null) {
                assertThat(rows(postgres, "select count(*) from lead_update"), is((long) UPDATES));
            }

            service.kill();
            int firstRunLog = service.logText().length();
            crm.resetRequests();
            crm.stubFor(post(urlPathEqualTo(LEAD)).willReturn(aResponse().withStatus(200).withTransformers("response-template")
                    .withBody("{\"data\":{\"id\":\"{{jsonPath request.body '$.customer_phone'}}\"},\"message\":\"success\"}")));
            service.start();

            Map<String, JsonPath> receipts = new HashMap<>();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                for (String id : ids) {
                    if (!receipts.containsKey(id)) {
                        JsonPath receipt = service.api().get("/leads/" + id).then().statusCode(200).extract().jsonPath();
                        if (!"PENDING".equals(receipt.getString("status"))) {
                            receipts.put(id, receipt);
                        }
                    }
                }
                assertThat(receipts.size(), is(UPDATES));
            });

            Map<String, Integer> successfulCalls = new HashMap<>();
            for (LoggedRequest call : crm.findAll(postRequestedFor(urlPathEqualTo(LEAD)))) {
                String phone = JsonPath.from(call.getBodyAsString()).getString("customer_phone");
                successfulCalls.merge(phone, 1, Integer::sum);
            }
            int delivered = 0;
            for (String id : ids) {
                JsonPath receipt = receipts.get(id);
                assertThat(receipt.getString("status"), anyOf(is("DELIVERED"), is("DEAD_LETTER")));
                if (receipt.getString("status").equals("DELIVERED")) {
                    delivered++;
                    assertThat(receipt.getString("targetLeadId"), is(phoneOf.get(id)));
                    assertThat("CRM calls for " + phoneOf.get(id), successfulCalls.get(phoneOf.get(id)), is(1));
                } else {
                    assertThat(receipt.getString("error"), notNullValue());
                    assertThat(successfulCalls.get(phoneOf.get(id)) == null, is(true));
                }
            }
            assertThat(delivered, is(UPDATES - UPDATES / 10));
            List<String> deadLetters = service.api().get("/dead-letters").then().extract().jsonPath()
                    .getList("deadLetters.reason");
            assertThat(deadLetters.size(), is(UPDATES / 10));
            assertThat(deadLetters.stream().allMatch("VALIDATION"::equals), is(true));
            if (postgres != null) {
                // Delivered by the new replica, which took them over from the killed one.
                assertThat(service.logText().substring(firstRunLog), containsString("Took over"));
                assertThat(rows(postgres, "select count(*) from lead_update where status = 'PENDING'"), is(0L));
            }
        } finally {
            crm.stop();
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** A count in the PostgreSQL store. */
    static long rows(EmbeddedPostgres postgres, String count) throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement query = db.createStatement();
                ResultSet row = query.executeQuery(count)) {
            row.next();
            return row.getLong(1);
        }
    }
}
