package io.leadsync.sandbox;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

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
}
