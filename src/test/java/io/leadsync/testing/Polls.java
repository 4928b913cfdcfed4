package io.leadsync.testing;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;

/** Triggers a poll through the API, the way an operator would, and reads the outcome. */
public final class Polls {

    private Polls() {
    }

    /** POST /stages/refresh?source=…; returns the polled source's status object. */
    public static JsonPath refresh(String source) {
        return given().queryParam("source", source)
                .when().post("/stages/refresh")
                .then().statusCode(200)
                .extract().jsonPath().setRootPath("sources.find { it.source == '" + source + "' }");
    }

    /** GET /stages?source=… as JSON. */
    public static JsonPath stages(String source) {
        return given().queryParam("source", source).when().get("/stages").then().statusCode(200).extract().jsonPath();
    }
}
