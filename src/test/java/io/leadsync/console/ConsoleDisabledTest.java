package io.leadsync.console;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** leadsync.console.enabled=false: no page, no sign-in, no change answers but 404; the API is untouched. */
@QuarkusTest
@TestProfile(ConsoleDisabledTest.Off.class)
class ConsoleDisabledTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.console.enabled", "false", "leadsync.telecrm.enabled", "false",
                    "leadsync.superfone.enabled", "false", "leadsync.truto.enabled", "false");
        }
    }

    @Test
    void everyConsoleAddressAnswers404() {
        for (String path : new String[] { "/console", "/console/", "/console/lead", "/console/dead-letters",
                "/console/sign-in", "/console/console.css", "/console/stages" }) {
            given().redirects().follow(false).get(path).then().statusCode(404);
        }
        given().formParam("id", "x").post("/console/delete").then().statusCode(404);
        given().get("/dead-letters").then().statusCode(200);
    }
}
