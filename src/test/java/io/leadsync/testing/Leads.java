package io.leadsync.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import org.awaitility.Awaitility;

import io.restassured.path.json.JsonPath;

/** Submitting lead updates and waiting for their receipts, as a client of the API would. */
public final class Leads {

    private Leads() {
    }

    /** POST /leads; returns the accepted id. */
    public static String submit(String json) {
        return given().contentType("application/json").body(json).post("/leads").then().statusCode(202)
                .extract().jsonPath().getString("id");
    }

    /** Waits until the receipt reaches the status and returns it. */
    public static JsonPath awaitReceipt(String id, String status) {
        JsonPath[] receipt = new JsonPath[1];
        Awaitility.await("receipt " + id + " " + status).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    receipt[0] = given().get("/leads/" + id).then().statusCode(200).extract().jsonPath();
                    assertThat(receipt[0].getString("status"), is(status));
                });
        return receipt[0];
    }

    /**
     * Waits until the update is finished (no longer PENDING: delivered, skipped or a dead letter) and returns its
     * receipt. Once finished it makes no more CRM calls, so none of them can land in a later test.
     */
    public static JsonPath awaitFinished(String id) {
        JsonPath[] receipt = new JsonPath[1];
        Awaitility.await("receipt " + id + " finished").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    receipt[0] = given().get("/leads/" + id).then().statusCode(200).extract().jsonPath();
                    assertThat(receipt[0].getString("status"), org.hamcrest.Matchers.not(is("PENDING")));
                });
        return receipt[0];
    }

    /** The dead letter of an update. */
    public static JsonPath deadLetterOf(String updateId) {
        return given().queryParam("limit", 1000).get("/dead-letters").then().statusCode(200).extract().jsonPath()
                .setRootPath("deadLetters.find { it.updateId == '" + updateId + "' }");
    }
}
