package io.leadsync.etl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.leadsync.storage.StoreUnavailableException;
import io.leadsync.testing.CrmFakes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A PostgreSQL URL whose server is down: leadsync starts but is not ready (the store is down: it could not
 * keep an update), POST /leads answers 503 saying why, and so do ETL runs, which start in the store: none starts.
 * Never with the password.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(DatabaseDownTest.DatabaseDown.class)
class DatabaseDownTest {

    static final String PASSWORD = "db-pass-5ecret";

    public static class DatabaseDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 9 (discard) on the loopback: nothing listens, the connection is refused at once.
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:9/leadsync",
                    "quarkus.datasource.username", "leadsync", "quarkus.datasource.password", PASSWORD);
        }
    }

    @Inject
    EtlJobs jobs;

    @Test
    void intakeAndRunsFailWithAClearMessage() {
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(503).body("checks.find { it.name == 'store' }.data.store",
                        containsString("PostgreSQL (jdbc:postgresql://127.0.0.1:9/leadsync): Connection to 127.0.0.1:9 refused")));
        assertThat(given().get("/q/health/ready").asString(), not(containsString(PASSWORD)));
        given().contentType("application/json").body("{\"target\":\"telecrm\",\"phone\":\"919999999999\",\"stage\":\"Fresh\"}")
                .post("/leads").then().statusCode(503).header("Retry-After", "5")
                .body("detail", containsString("the store is not available, nothing was kept: PostgreSQL"))
                .body("detail", not(containsString(PASSWORD)));
        wireMock().stubFor(post(urlPathEqualTo(EtlJobsTest.SEARCH)).willReturn(aResponse().withStatus(200)
                .withBody("{\"data\":[" + EtlJobsTest.lead("z1", "Zed", "+919") + "],\"total_count\":1}")));

        // A run is started in the store: with the store down none starts, and the reason is said.
        StoreUnavailableException notStarted = assertThrows(StoreUnavailableException.class,
                () -> jobs.run("telecrm-leads", "test", true));
        assertThat(notStarted.getMessage(), containsString("PostgreSQL (jdbc:postgresql://127.0.0.1:9/leadsync): Connection to 127.0.0.1:9 refused"));
        given().post("/etl/jobs/telecrm-leads/run").then().statusCode(503).header("Retry-After", "5")
                .contentType("application/problem+json").body("detail", containsString("PostgreSQL"))
                .body("detail", not(containsString(PASSWORD)));
        given().get("/etl/runs").then().statusCode(503).header("Retry-After", "5")
                .body("detail", containsString("Connection to 127.0.0.1:9 refused"));
        wireMock().verify(0, postRequestedFor(urlPathEqualTo(EtlJobsTest.SEARCH)));
    }
}
