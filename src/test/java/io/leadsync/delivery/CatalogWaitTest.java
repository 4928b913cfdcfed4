package io.leadsync.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** An update for a target whose catalog was never loaded waits for it: no guess, no dead letter. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(CatalogWaitTest.FreshDataDir.class)
class CatalogWaitTest {

    public static class FreshDataDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.data-dir", "target/test-data/wait-" + UUID.randomUUID());
        }
    }

    @Test
    void anUpdateWaitsForItsTargetsCatalog() {
        wireMock().resetAll();
        wireMock().stubFor(post(urlPathEqualTo("/superfone/enterprise/api/lead"))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":{\"id\":3},\"message\":\"success\"}")));
        given().queryParam("source", "superfone").get("/stages").then().statusCode(200)
                .body("sources[0].status", is("PENDING"));

        String id = Leads.submit("{\"target\":\"superfone\",\"phone\":\"+919300000001\",\"stage\":\"Qualified\"}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var receipt = given().get("/leads/" + id).then().extract().jsonPath();
            assertThat(receipt.getString("status"), is("PENDING"));
            assertThat(receipt.getInt("attempts"), greaterThanOrEqualTo(3));
            assertThat(receipt.getString("error"), is("the stage catalog of superfone has not been loaded yet"));
        });
        wireMock().verify(0, postRequestedFor(urlPathEqualTo("/superfone/enterprise/api/lead")));

        wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("superfone-lead-stages.json"))));
        given().queryParam("source", "superfone").post("/stages/refresh").then().statusCode(200);
        Leads.awaitReceipt(id, "DELIVERED");
        wireMock().verify(1, postRequestedFor(urlPathEqualTo("/superfone/enterprise/api/lead")));
    }
}
