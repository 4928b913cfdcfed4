package io.leadsync.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Lead updates to TeleCRM's Sync API, requests exactly as its docs give them. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class TelecrmDeliveryTest {

    static final String BASE = "/telecrm/autoupdate/v2/enterprise/ent-1";

    @BeforeEach
    void catalog() {
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo(BASE + "/lead-stage-pipeline"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        given().queryParam("source", "telecrm").post("/stages/refresh").then().statusCode(200);
    }

    static void answer(String path, int status, String body) {
        wireMock().stubFor(post(urlPathEqualTo(BASE + path)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void aNewLeadIsCreatedWithItsFieldsAndActionsInOneCall() {
        answer("/lead", 201, """
                {"lead_id":"603d2b2f9b1e8a001c8e4f5c","actions":[{"action_id":"a1","status":"CREATED"}],"remarks":[]}""");
        String id = Leads.submit("""
                {"target":"telecrm","phone":"+919999999999","name":"Jane Doe","email":"jane.doe@example.com",
                 "stage":"Qualified","fields":{"contact_source":"Website","deal_size":1000},
                 "actions":[{"type":"1001","fields":{"note":"Site visit completed"}}]}""");

        JsonPath receipt = Leads.awaitReceipt(id, "DELIVERED");
        assertThat(receipt.getString("targetLeadId"), is("603d2b2f9b1e8a001c8e4f5c"));
        assertThat(receipt.getList("remarks"), is(List.of()));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(BASE + "/lead"))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TELECRM_TOKEN))
                .withRequestBody(equalToJson("""
                        {"fields":{"contact_source":"Website","deal_size":1000,"name":"Jane Doe",
                                   "email":"jane.doe@example.com","status":"Qualified","phone":"+919999999999"},
                         "actions":[{"type":"1001","fields":{"note":"Site visit completed"}}]}""")));
    }

    @Test
    void aKnownLeadIsUpdatedWithoutItsIdentifierAndItsActionsFollow() {
        answer("/lead/603d2b2f9b1e8a001c8e4f5c", 200, "{\"fields\":{\"status\":\"Lost\"}}");
        answer("/lead/603d2b2f9b1e8a001c8e4f5c/action", 200,
                "{\"lead_id\":\"603d2b2f9b1e8a001c8e4f5c\",\"actions\":[{\"action_id\":\"a9\",\"status\":\"CREATED\"}],\"remarks\":[]}");
        String id = Leads.submit("""
                {"target":"telecrm","leadId":"603d2b2f9b1e8a001c8e4f5c","phone":"+919999999999","stage":"Lost",
                 "lostReason":"Price too high","actions":[{"type":"1001","fields":{"note":"Called back"}}]}""");

        Leads.awaitReceipt(id, "DELIVERED");
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(BASE + "/lead/603d2b2f9b1e8a001c8e4f5c"))
                .withRequestBody(equalToJson("{\"fields\":{\"status\":\"Lost\",\"lost_reason\":\"Price too high\"}}")));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(BASE + "/lead/603d2b2f9b1e8a001c8e4f5c/action"))
                .withRequestBody(equalToJson("{\"actions\":[{\"type\":\"1001\",\"fields\":{\"note\":\"Called back\"}}]}")));
    }

    @Test
    void anExistingPhoneIsFoundAndUpdated() {
        answer("/lead", 409, "{\"error\":{\"code\":\"LEAD_ALREADY_EXISTS\",\"message\":\"Lead already exists\"}}");
        answer("/lead/search", 200, "{\"data\":[{\"id\":\"abc123\",\"fields\":{\"phone\":\"+919888888888\"}}],\"total_count\":1}");
        answer("/lead/abc123", 200, "{\"fields\":{\"status\":\"Contacted\"}}");
        String id = Leads.submit("{\"target\":\"telecrm\",\"phone\":\"+919888888888\",\"stage\":\"Contacted\"}");

        assertThat(Leads.awaitReceipt(id, "DELIVERED").getString("targetLeadId"), is("abc123"));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(BASE + "/lead/search"))
                .withQueryParam("limit", equalTo("1"))
                .withRequestBody(equalToJson("{\"fields\":{\"phone\":[\"+919888888888\",\"919888888888\"]}}")));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(BASE + "/lead/abc123"))
                .withRequestBody(equalToJson("{\"fields\":{\"status\":\"Contacted\"}}")));
    }

    @Test
    void whatTeleCrmDroppedIsInTheReceiptAndInAPartialDeadLetterReadyToReplay() {
        answer("/lead", 201, """
                {"lead_id":"603d2b2f9b1e8a001c8e4f5c","actions":[{"action_id":null,"status":"IGNORED"}],
                 "remarks":[{"field":"fields.rating","status":"IGNORED","remark":"Rating must be between 1 and 5"},
                            {"field":"actions[0].fields.email","status":"IGNORED","remark":"Email is invalid"}]}""");
        String id = Leads.submit("""
                {"target":"telecrm","phone":"+919777777777","name":"Ana","fields":{"rating":9,"city":"Goa"},
                 "actions":[{"type":"1001","fields":{"email":"not-an-email"}}]}""");

        JsonPath receipt = Leads.awaitReceipt(id, "DELIVERED");
        assertThat(receipt.getList("remarks.field"), contains("fields.rating", "actions[0].fields.email"));
        assertThat(receipt.getList("remarks.remark"), contains("Rating must be between 1 and 5", "Email is invalid"));

        JsonPath partial = Leads.deadLetterOf(id);
        assertThat(partial.getString("reason"), is("PARTIAL"));
        assertThat(partial.getString("update.leadId"), is("603d2b2f9b1e8a001c8e4f5c"));
        assertThat(partial.getMap("update.fields"), is(Map.of("rating", 9)));
        assertThat(partial.getString("update.actions[0].fields.email"), is("not-an-email"));
        assertThat(partial.getString("update.phone"), nullValue());

        // Fixed in TeleCRM, the dropped part is replayed on its own: an update of that lead.
        answer("/lead/603d2b2f9b1e8a001c8e4f5c", 200, "{\"fields\":{\"rating\":9}}");
        answer("/lead/603d2b2f9b1e8a001c8e4f5c/action", 200,
                "{\"lead_id\":\"603d2b2f9b1e8a001c8e4f5c\",\"actions\":[{\"action_id\":\"a2\",\"status\":\"CREATED\"}],\"remarks\":[]}");
        String replayed = given().post("/dead-letters/" + partial.getString("id") + "/replay").then().statusCode(202)
                .extract().jsonPath().getString("replayed[0]");
        Leads.awaitReceipt(replayed, "DELIVERED");
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(BASE + "/lead/603d2b2f9b1e8a001c8e4f5c"))
                .withRequestBody(equalToJson("{\"fields\":{\"rating\":9}}")));
    }

    @Test
    void lostReasonsAreCheckedAgainstTheCatalog() {
        String notLost = Leads.submit("{\"target\":\"telecrm\",\"leadId\":\"x1\",\"stage\":\"Fresh\",\"lostReason\":\"No Need\"}");
        assertThat(Leads.awaitReceipt(notLost, "DEAD_LETTER").getString("error"), is(
                "VALIDATION: a lost reason belongs to a LOST stage, but 'Fresh' is OPEN in telecrm; LOST stages: [Lost]"));
        String unknown = Leads.submit("{\"target\":\"telecrm\",\"leadId\":\"x1\",\"stage\":\"Lost\",\"lostReason\":\"Bored\"}");
        assertThat(Leads.awaitReceipt(unknown, "DEAD_LETTER").getString("error"), is(
                "VALIDATION: unknown or archived lost reason 'Bored' for telecrm; valid lost reasons: [Price too high, No Need]"));
        wireMock().verify(0, postRequestedFor(urlPathEqualTo(BASE + "/lead/x1")));
    }

    @Test
    void anUnknownEnterpriseIsRejected() {
        answer("/lead", 404, "{\"error\":{\"code\":\"ENTERPRISE_NOT_FOUND\",\"message\":\"The enterprise with ID ent-1 was not found.\"}}");
        String id = Leads.submit("{\"target\":\"telecrm\",\"phone\":\"+919666666666\"}");
        assertThat(Leads.awaitReceipt(id, "DEAD_LETTER").getString("error"),
                is("REJECTED: HTTP 404: ENTERPRISE_NOT_FOUND The enterprise with ID ent-1 was not found."));
        assertThat(Leads.deadLetterOf(id).getInt("httpStatus"), is(404));
    }
}
