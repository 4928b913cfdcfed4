package io.leadsync.sandbox;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Without {@code leadsync.sandbox.enabled=true} the fakes do not exist, even with valid credentials. */
@QuarkusTest
class SandboxDisabledTest {

    @Test
    void everyFakeAnswers404() {
        given().header("Authorization", "Bearer sandbox-telecrm-token")
                .get(SandboxTest.TELECRM, "demo")
                .then().statusCode(404);
        given().header("x-api-key", "sandbox-superfone-key")
                .get(SandboxTest.SUPERFONE)
                .then().statusCode(404);
        given().header("Authorization", "Bearer sandbox-truto-token")
                .queryParam("integrated_account_id", "demo-pipedrive")
                .get(SandboxTest.TRUTO)
                .then().statusCode(404);
    }

    @Test
    void everyFakeLeadEndpointAnswers404() {
        given().header("Authorization", "Bearer sandbox-telecrm-token").contentType(ContentType.JSON)
                .body("{\"fields\":{\"phone\":\"919999999999\"}}")
                .post(SandboxLeadsTest.TELECRM_LEAD, "demo")
                .then().statusCode(404);
        given().header("Authorization", "Bearer sandbox-telecrm-token").contentType(ContentType.JSON).body("{}")
                .post(SandboxLeadsTest.TELECRM_LEAD + "/search", "demo")
                .then().statusCode(404);
        given().header("x-api-key", "sandbox-superfone-key").contentType(ContentType.JSON)
                .body("{\"customer_phone\":\"+919800000001\",\"create_customer_if_customer_phone_not_found\":true}")
                .post(SandboxLeadsTest.SUPERFONE_LEAD)
                .then().statusCode(404);
        given().header("Authorization", "Bearer sandbox-truto-token").contentType(ContentType.JSON).body("{}")
                .queryParam("integrated_account_id", "demo-pipedrive")
                .post(SandboxLeadsTest.TRUTO_LEADS)
                .then().statusCode(404);
    }
}
