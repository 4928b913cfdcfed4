package io.leadsync.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Each fake holds at most leadsync.sandbox.max-leads leads (2 here) and refuses one more with its own 400. */
@QuarkusTest
@TestProfile(SandboxLeadCapTest.TwoLeads.class)
class SandboxLeadCapTest {

    public static class TwoLeads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.sandbox.enabled", "true", "leadsync.sandbox.max-leads", "2");
        }
    }

    @Test
    void telecrmRefusesTheThirdLead() {
        String first = telecrm().body("{\"fields\":{\"phone\":\"911\"}}").post(SandboxLeadsTest.TELECRM_LEAD, "demo")
                .then().statusCode(201).extract().path("lead_id");
        telecrm().body("{\"fields\":{\"phone\":\"912\"}}").post(SandboxLeadsTest.TELECRM_LEAD, "demo")
                .then().statusCode(201);
        telecrm().body("{\"fields\":{\"phone\":\"913\"}}").post(SandboxLeadsTest.TELECRM_LEAD, "demo")
                .then().statusCode(400)
                .body("error.code", equalTo("BAD_REQUEST"))
                .body("error.message", containsString("2 leads"));
        // a duplicate is still a duplicate, and the stored leads still take updates
        telecrm().body("{\"fields\":{\"phone\":\"911\"}}").post(SandboxLeadsTest.TELECRM_LEAD, "demo")
                .then().statusCode(409);
        telecrm().body("{\"fields\":{\"status\":\"Won\"}}")
                .post(SandboxLeadsTest.TELECRM_LEAD + "/{leadId}", "demo", first)
                .then().statusCode(200)
                .body("fields.status", equalTo("Won"));
    }

    @Test
    void superfoneRefusesTheThirdLead() {
        for (String phone : new String[] {"+919700000001", "+919700000002"}) {
            superfone().body(Map.of("customer_phone", phone, "create_customer_if_customer_phone_not_found", true))
                    .post(SandboxLeadsTest.SUPERFONE_LEAD)
                    .then().statusCode(200);
        }
        superfone().body(Map.of("customer_phone", "+919700000003", "create_customer_if_customer_phone_not_found", true))
                .post(SandboxLeadsTest.SUPERFONE_LEAD)
                .then().statusCode(400)
                .body("message", containsString("2 leads"));
        superfone().body(Map.of("customer_phone", "+919700000001", "first_name", "Still"))
                .post(SandboxLeadsTest.SUPERFONE_LEAD)
                .then().statusCode(200)
                .body("data.first_name", equalTo("Still"));
    }

    @Test
    void trutoRefusesTheThirdLead() {
        for (int i = 0; i < 2; i++) {
            truto().body("{\"first_name\":\"Cap\"}").post(SandboxLeadsTest.TRUTO_LEADS).then().statusCode(201);
        }
        truto().body("{\"first_name\":\"Cap\"}").post(SandboxLeadsTest.TRUTO_LEADS)
                .then().statusCode(400)
                .body("statusCode", equalTo(400))
                .body("error", equalTo("Bad Request"))
                .body("message", containsString("2 leads"));
        // a refused create does not use up its Idempotency-Key
        truto().header("Idempotency-Key", "k").body("{\"first_name\":\"Cap\"}").post(SandboxLeadsTest.TRUTO_LEADS)
                .then().statusCode(400);
        truto().header("Idempotency-Key", "k").body("{\"first_name\":\"Other\"}").post(SandboxLeadsTest.TRUTO_LEADS)
                .then().statusCode(400)
                .body("message", containsString("2 leads"));
    }

    private static RequestSpecification telecrm() {
        return given().header("Authorization", "Bearer sandbox-telecrm-token").contentType(ContentType.JSON);
    }

    private static RequestSpecification superfone() {
        return given().header("x-api-key", "sandbox-superfone-key").contentType(ContentType.JSON);
    }

    private static RequestSpecification truto() {
        return given().header("Authorization", "Bearer sandbox-truto-token").contentType(ContentType.JSON)
                .queryParam("integrated_account_id", "demo-pipedrive");
    }
}
