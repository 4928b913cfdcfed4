package io.leadsync.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** leadsync.api-key guards the API; leadsync.&lt;crm&gt;.enabled=false switches configured CRMs off. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(ApiKeyAndSwitchesTest.KeyAndSwitchedOff.class)
class ApiKeyAndSwitchesTest {

    static final String KEY = "k3y-for-tests-only";

    public static class KeyAndSwitchedOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.api-key", KEY,
                    "leadsync.telecrm.enabled", "false",
                    "leadsync.superfone.enabled", "false",
                    "leadsync.truto.enabled", "false");
        }
    }

    @Inject
    CamelContext camel;

    @Test
    void theApiNeedsTheKey() {
        given().get("/stages").then().statusCode(401).contentType("application/problem+json")
                .body("detail", is("header X-Api-Key is required"));
        given().header("X-Api-Key", "wrong").get("/stages").then().statusCode(401)
                .body("detail", is("header X-Api-Key does not match leadsync.api-key"))
                .body("detail", not(containsString(KEY)));
        given().header("X-Api-Key", KEY).get("/stages").then().statusCode(200);
        given().header("X-Api-Key", KEY).get("/stages/changes").then().statusCode(200);
        given().post("/stages/refresh").then().statusCode(401);
        given().contentType("application/json").body("{}").post("/leads").then().statusCode(401)
                .contentType("application/problem+json");
        given().queryParam("limit", 1000).get("/dead-letters").then().statusCode(401);
    }

    @Test
    void healthAndMetricsStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(not(containsString(KEY)));
    }

    @Test
    void theApiDocumentStaysOpen() {
        // Harmless (no data, no secret), and a client needs it to learn how to send the key.
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/leads"))
                .body(not(containsString(KEY)));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void switchedOffSourcesAreDisabledAndNotPolled() {
        JsonPath stages = given().header("X-Api-Key", KEY).get("/stages").then().statusCode(200).extract().jsonPath();
        assertThat(stages.getList("sources.source"), contains("telecrm", "superfone", "truto"));
        assertThat(stages.getList("sources.status"), everyItem(is("DISABLED")));
        assertThat(stages.getList("stages"), empty());

        for (String timer : new String[] { "telecrm-stages-timer", "superfone-stages-timer", "truto-stages-timer" }) {
            assertThat(timer, camel.getRouteController().getRouteStatus(timer), is(ServiceStatus.Stopped));
        }
        given().header("X-Api-Key", KEY).queryParam("source", "superfone").post("/stages/refresh").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", startsWith("source 'superfone' is not enabled: set leadsync.superfone.api-key"));
    }
}
