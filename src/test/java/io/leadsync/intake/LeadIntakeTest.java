package io.leadsync.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** POST /leads meets bad input with a problem that names the field, and accepts each update once. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class LeadIntakeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"target":"superfone","phone":"+91999"                  | body is not valid JSON: Unexpected end-of-input
            []                                                      | body must be a JSON object
            {"phone":"+919999999999"}                               | field 'target' is required: one of [telecrm, superfone, truto:acc-1, truto:acc-2]
            {"target":"hubspot","phone":"+919999999999"}            | field 'target': 'hubspot' is not an enabled target; the targets are [telecrm, superfone, truto:acc-1, truto:acc-2]
            {"target":"superfone","phone":"+919999999999","stage":"Won","stageSource":"pipedrive"} | field 'stageSource': 'pipedrive' is not an enabled source; the sources are [telecrm, superfone, truto:acc-1, truto:acc-2]
            {"target":"superfone","phone":"+919999999999","stage":"Won","stageSource":"truto"} | field 'stageSource': 'truto' is not an enabled source; the sources are [telecrm, superfone, truto:acc-1, truto:acc-2]
            {"target":"superfone","phone":919999999999}             | field 'phone' must be a string, not number
            {"target":"superfone","phone":"call me"}                | field 'phone': 'call me' is not a phone number in E.164 form (+ and 7 to 15 digits)
            {"target":"superfone","name":"No Phone"}                | field 'phone' is required for target superfone (it upserts by phone)
            {"target":"truto:acc-1","name":"Nobody"}                | field 'leadId' or 'phone' is required for target truto:acc-1
            {"target":"superfone","phone":"+919999999999","fields":[1]} | field 'fields' must be an object of the target's own fields
            {"target":"superfone","phone":"+919999999999","colour":"red"} | unknown field 'colour'
            {"target":"telecrm","leadId":"x","actions":[{"fields":{}}]} | field 'actions[0].type' is required: a custom action code or PAYMENT
            {"target":"superfone","phone":"+919999999999","actions":[]} | field 'actions': only TeleCRM takes actions, not superfone
            """)
    void badBodiesAreProblemsNamingTheField(String body, String detail) {
        given().contentType("application/json").body(body).post("/leads").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("detail", startsWith(detail));
    }

    @Test
    void anEmptyOrHugeBodyIsRefused() {
        given().contentType("application/json").body("").post("/leads").then().statusCode(400)
                .contentType("application/problem+json").body("detail", is("body is empty: send a lead update as JSON"));
        String huge = "{\"target\":\"superfone\",\"phone\":\"+919999999999\",\"fields\":{\"note\":\""
                + "x".repeat(1024 * 1024) + "\"}}";
        given().contentType("application/json").body(huge).post("/leads").then().statusCode(413)
                .contentType("application/problem+json").body("detail", is("body is larger than 1 MiB"));
    }

    @Test
    void anIdempotencyKeyMakesARepeatReturnTheFirstId() {
        wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("superfone-lead-stages.json"))));
        given().queryParam("source", "superfone").post("/stages/refresh").then().statusCode(200);
        wireMock().stubFor(post(urlPathEqualTo("/superfone/enterprise/api/lead"))
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":{\"id\":1},\"message\":\"success\"}")));
        String body = "{\"target\":\"superfone\",\"phone\":\"+919812345678\",\"stage\":\"Qualified\"}";

        String first = given().header("Idempotency-Key", "order-42").contentType("application/json").body(body)
                .post("/leads").then().statusCode(202).body("status", is("ACCEPTED")).extract().jsonPath().getString("id");
        String again = given().header("Idempotency-Key", "order-42").contentType("application/json").body(body)
                .post("/leads").then().statusCode(202).extract().jsonPath().getString("id");
        assertThat(again, is(first));
        Leads.awaitReceipt(first, "DELIVERED");
        wireMock().verify(1, postRequestedFor(urlPathEqualTo("/superfone/enterprise/api/lead"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("+919812345678")));
    }

    @Test
    void unknownReceiptsAreNotFound() {
        given().get("/leads/00000000-0000-0000-0000-000000000000").then().statusCode(404)
                .contentType("application/problem+json");
        // Not an id leadsync gives out: refused before any lookup.
        given().get("/leads/..%2F..%2Fetc%2Fpasswd").then().statusCode(400)
                .body("detail", startsWith("path segment id must be an id as leadsync gives them"));
    }
}
