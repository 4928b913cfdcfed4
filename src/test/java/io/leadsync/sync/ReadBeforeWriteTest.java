package io.leadsync.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.leadsync.sync.SyncFlowsTest.SUPERFONE;
import static io.leadsync.sync.SyncFlowsTest.TELECRM;
import static io.leadsync.sync.SyncFlowsTest.TRUTO;
import static io.leadsync.sync.SyncFlowsTest.stored;
import static io.leadsync.sync.SyncFlowsTest.telecrmWrites;
import static io.leadsync.sync.SyncFlowsTest.trutoWrites;
import static io.leadsync.sync.SyncFlowsTest.updateFor;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.leadsync.testing.Webhooks.awaitEvent;
import static io.leadsync.testing.Webhooks.superfone;
import static io.leadsync.testing.Webhooks.superfoneChanged;
import static io.leadsync.testing.Webhooks.superfoneStageChange;
import static io.leadsync.testing.Webhooks.truto;
import static io.leadsync.testing.Webhooks.trutoChanged;
import static io.leadsync.testing.Webhooks.trutoLeadUpdated;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Leads;
import io.leadsync.testing.Webhooks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Read before write (the "No loops" rule): a flow's stage goes to TeleCRM or Superfone only when the lead there does not
 * have it already. TeleCRM is read by POST lead/search (and GET lead/{id} once the lead is known), Superfone by GET
 * lead?phone=; an unchanged lead ends SKIPPED with no write, a failed read fails like a failed write. Flows as in
 * {@link SyncFlowsTest}: a Superfone change goes to TeleCRM (and Truto, which is never read), a Truto change to
 * Superfone (and TeleCRM).
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(Webhooks.Profile.class)
class ReadBeforeWriteTest {

    static final String SEARCH = TELECRM + "/search";

    @BeforeAll
    static void apiKey() {
        Webhooks.useApiKey();
    }

    @AfterAll
    static void noApiKey() {
        Webhooks.forgetApiKey();
    }

    @BeforeEach
    void crms() {
        SyncFlowsTest.crmsWithoutTheLeads();
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** TeleCRM's search by this phone (leadsync sends both of its forms) answers so. */
    static void telecrmSearch(String phone, ResponseDefinitionBuilder answer) {
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.fields.phone[0]", equalTo(phone)))
                .willReturn(answer));
    }

    static String telecrmLead(String id, String phone, String status) {
        return "{\"data\":[{\"id\":\"" + id + "\",\"fields\":{\"phone\":\"" + phone.substring(1) + "\",\"status\":\"" + status
                + "\"}}],\"total_count\":1}";
    }

    static void superfoneLead(String phone, ResponseDefinitionBuilder answer) {
        wireMock().stubFor(get(urlPathEqualTo(SUPERFONE)).withQueryParam("phone", equalTo(phone)).willReturn(answer));
    }

    static String superfoneLeadWithStage(long id, String phone, String stage) {
        return """
                {"data":{"id":%d,"first_name":"Jane","phones":[{"phone":"%s","customer_id":%1$d}],"lead_stage_id":11,
                 "lead_stage":{"id":11,"title":"%s","status":"ACTIVE","type":"FINAL_POSITIVE","position":3}},
                 "message":"success"}""".formatted(id, phone, stage);
    }

    /** Every write of this lead to TeleCRM: creates with its phone, updates of its id. */
    static int telecrmWritesOf(String phone, String leadId) {
        return telecrmWrites(phone).size() + wireMock().findAll(postRequestedFor(urlPathEqualTo(TELECRM + "/" + leadId))).size();
    }

    static RequestPatternBuilder searchFor(String phone) {
        return postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.fields.phone[0]", equalTo(phone)));
    }

    static RequestPatternBuilder superfoneRead(String phone) {
        return getRequestedFor(urlPathEqualTo(SUPERFONE)).withQueryParam("phone", equalTo(phone));
    }

    static List<LoggedRequest> superfoneWrites(String phone) {
        return wireMock().findAll(postRequestedFor(urlPathEqualTo(SUPERFONE))
                .withRequestBody(matchingJsonPath("$.customer_phone", equalTo(phone))));
    }

    static double skipped(String target) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher count = Pattern.compile("^leadsync_leads_skipped_total\\{target=\"" + Pattern.quote(target) + "\"} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    /** A Superfone stage change; returns the lead update it became for TeleCRM. */
    static String fromSuperfone(long contact, String phone, String stage) {
        return updateFor(awaitEvent(stored(superfoneChanged(contact, phone, stage)), "CARRIED"), "telecrm");
    }

    /** A Truto stage change; returns the event, carried to Superfone and TeleCRM. */
    static JsonPath fromTruto(String phone, String stage) {
        return awaitEvent(stored(trutoChanged(UUID.randomUUID().toString(), Instant.now(), "acc-1", phone, stage)),
                "CARRIED");
    }

    // --- TeleCRM ---

    @Test
    void aTeleCrmLeadThatHasTheStageAlreadyIsNotWrittenAndTheReceiptSaysSo() {
        String phone = "+919820052001";
        telecrmSearch(phone, json(200, telecrmLead("T-71", phone, "qualified"))); // its case aside, the same stage
        double before = skipped("telecrm");

        JsonPath event = awaitEvent(stored(superfoneChanged(5201, phone, "Qualified")), "CARRIED");

        JsonPath receipt = Leads.awaitReceipt(updateFor(event, "telecrm"), "SKIPPED");
        assertThat(receipt.getString("targetLeadId"), is("T-71"));
        assertThat(receipt.getInt("attempts"), is(1));
        assertThat(receipt.getString("error"), nullValue());
        assertThat(receipt.getString("remarks[0].field"), is("stage"));
        assertThat(receipt.getString("remarks[0].status"), is("UNCHANGED"));
        assertThat(receipt.getString("remarks[0].remark"),
                is("not written: telecrm lead T-71 already has stage 'qualified' (read before write)"));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(SEARCH)).withQueryParam("limit", equalTo("1"))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TELECRM_TOKEN))
                .withRequestBody(equalToJson("{\"fields\":{\"phone\":[\"+919820052001\",\"919820052001\"]}}")));
        assertThat(telecrmWritesOf(phone, "T-71"), is(0));
        assertThat(skipped("telecrm"), is(before + 1));
        // Truto is not read (a flow's update has no Truto lead id): written as before.
        Leads.awaitReceipt(updateFor(event, "truto:acc-1"), "DELIVERED");
        assertThat(trutoWrites(phone).size(), is(1));
        wireMock().verify(0, getRequestedFor(urlPathMatching(TRUTO + "/.*")));
    }

    @Test
    void aTeleCrmLeadWithAnotherStageIsUpdatedByItsIdOnce() {
        String phone = "+919820052002";
        telecrmSearch(phone, json(200, telecrmLead("T-72", phone, "Fresh")));
        wireMock().stubFor(post(urlPathEqualTo(TELECRM + "/T-72")).willReturn(json(200, "{\"fields\":{\"status\":\"Qualified\"}}")));

        JsonPath receipt = Leads.awaitReceipt(fromSuperfone(5202, phone, "Qualified"), "DELIVERED");

        assertThat(receipt.getString("targetLeadId"), is("T-72"));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(TELECRM + "/T-72"))
                .withRequestBody(equalToJson("{\"fields\":{\"status\":\"Qualified\"}}")));
        assertThat(telecrmWritesOf(phone, "T-72"), is(1)); // no create answered 409 first
    }

    @Test
    void aPhoneTeleCrmDoesNotKnowIsCreated() {
        String phone = "+919820052003";

        JsonPath receipt = Leads.awaitReceipt(fromSuperfone(5203, phone, "Qualified"), "DELIVERED");

        assertThat(receipt.getString("targetLeadId"), is("T-1"));
        wireMock().verify(1, searchFor(phone));
        wireMock().verify(1, SyncFlowsTest.telecrmWrite(phone, "Qualified"));
        assertThat(telecrmWrites(phone).size(), is(1));
    }

    @Test
    void aTeleCrmReadAnswered503IsRetriedThenTheLeadIsWritten() {
        String phone = "+919820052004";
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.fields.phone[0]", equalTo(phone)))
                .inScenario("search").whenScenarioStateIs(STARTED)
                .willReturn(json(503, "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"down for maintenance\"}}"))
                .willSetStateTo("up"));
        wireMock().stubFor(post(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.fields.phone[0]", equalTo(phone)))
                .inScenario("search").whenScenarioStateIs("up")
                .willReturn(json(200, telecrmLead("T-74", phone, "Fresh"))));
        wireMock().stubFor(post(urlPathEqualTo(TELECRM + "/T-74")).willReturn(json(200, "{\"fields\":{\"status\":\"Qualified\"}}")));

        JsonPath receipt = Leads.awaitReceipt(fromSuperfone(5204, phone, "Qualified"), "DELIVERED");

        assertThat(receipt.getInt("attempts"), is(2));
        assertThat(receipt.getString("targetLeadId"), is("T-74"));
        wireMock().verify(2, searchFor(phone));
        assertThat(telecrmWritesOf(phone, "T-74"), is(1));
    }

    @Test
    void aRetriedWriteReadsTheFoundLeadByItsIdAndSkipsWhatTheFirstTryWrote() {
        // The write's answer is lost (503) though TeleCRM took it: the retry reads GET lead/{id} and writes no more.
        String phone = "+919820052005";
        telecrmSearch(phone, json(200, telecrmLead("T-75", phone, "Fresh")));
        wireMock().stubFor(post(urlPathEqualTo(TELECRM + "/T-75")).willReturn(json(503, "{\"error\":{\"code\":\"UNAVAILABLE\","
                + "\"message\":\"try again\"}}")));
        wireMock().stubFor(get(urlPathEqualTo(TELECRM + "/T-75")).willReturn(json(200,
                "{\"fields\":{\"name\":\"Jane\",\"phone\":\"919820052005\",\"status\":\"Qualified\"}}")));

        JsonPath receipt = Leads.awaitReceipt(fromSuperfone(5205, phone, "Qualified"), "SKIPPED");

        assertThat(receipt.getInt("attempts"), is(2));
        assertThat(receipt.getString("remarks[0].remark"),
                is("not written: telecrm lead T-75 already has stage 'Qualified' (read before write)"));
        wireMock().verify(1, searchFor(phone));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(TELECRM + "/T-75"))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TELECRM_TOKEN)));
        assertThat(telecrmWritesOf(phone, "T-75"), is(1));
    }

    @Test
    void aTeleCrmReadAnswered401IsAnUnauthorizedDeadLetterWithoutTheToken() {
        String phone = "+919820052006";
        telecrmSearch(phone, json(401, "{\"error\":{\"code\":\"NOT_AUTHORIZED\",\"message\":\"Invalid token "
                + CrmFakes.TELECRM_TOKEN + "\"}}"));

        String update = fromSuperfone(5206, phone, "Qualified");

        JsonPath receipt = Leads.awaitReceipt(update, "DEAD_LETTER");
        assertThat(receipt.getString("error"), is("UNAUTHORIZED: HTTP 401: TeleCRM lead read before write: NOT_AUTHORIZED"
                + " Invalid token ****"));
        JsonPath letter = Leads.deadLetterOf(update);
        assertThat(letter.getString("reason"), is("UNAUTHORIZED"));
        assertThat(letter.getInt("httpStatus"), is(401));
        assertThat(letter.getInt("attempts"), is(1));
        assertThat(letter.getString("error"), not(containsString(CrmFakes.TELECRM_TOKEN)));
        assertThat(telecrmWrites(phone).size(), is(0));
    }

    @Test
    void aTeleCrmReadAnswered400IsARejectedDeadLetterWithTeleCrmsReason() {
        String phone = "+919820052007";
        telecrmSearch(phone, json(400, "{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"Limit should be between 1 and 100\"}}"));

        String update = fromSuperfone(5207, phone, "Qualified");

        assertThat(Leads.awaitReceipt(update, "DEAD_LETTER").getString("error"), is("REJECTED: HTTP 400: TeleCRM lead read"
                + " before write: BAD_REQUEST Limit should be between 1 and 100"));
        assertThat(Leads.deadLetterOf(update).getInt("attempts"), is(1));
        assertThat(telecrmWrites(phone).size(), is(0));
    }

    // --- Superfone ---

    @Test
    void aSuperfoneLeadThatHasTheStageAlreadyIsNotWritten() {
        String phone = "+919820052011";
        superfoneLead(phone, json(200, superfoneLeadWithStage(5311, phone, "Won")));
        double before = skipped("superfone");

        JsonPath event = fromTruto(phone, "Won");

        JsonPath receipt = Leads.awaitReceipt(updateFor(event, "superfone"), "SKIPPED");
        assertThat(receipt.getString("targetLeadId"), is("5311"));
        assertThat(receipt.getString("remarks[0].remark"),
                is("not written: superfone lead 5311 already has stage 'Won' (read before write)"));
        wireMock().verify(1, superfoneRead(phone).withHeader("x-api-key", equalTo(CrmFakes.SUPERFONE_KEY)));
        assertThat(superfoneWrites(phone).size(), is(0));
        assertThat(skipped("superfone"), is(before + 1));
        Leads.awaitReceipt(updateFor(event, "telecrm"), "DELIVERED"); // the other flow of the change goes on
    }

    @Test
    void aSkippedUpdateWroteNothingSoItsStageComingBackIsNoEcho() {
        String phone = "+919820052012";
        superfoneLead(phone, json(200, superfoneLeadWithStage(5312, phone, "Won")));
        JsonPath fromTruto = fromTruto(phone, "Won");
        Leads.awaitReceipt(updateFor(fromTruto, "superfone"), "SKIPPED");
        Leads.awaitReceipt(updateFor(fromTruto, "telecrm"), "DELIVERED");

        // Superfone reporting Won for this lead is its own change, not leadsync's write coming back.
        JsonPath event = awaitEvent(stored(superfoneChanged(5312, phone, "Won")), "CARRIED");
        Leads.awaitReceipt(updateFor(event, "truto:acc-1"), "DELIVERED");
        Leads.awaitReceipt(updateFor(event, "telecrm"), "DELIVERED");
    }

    @Test
    void aSuperfoneLeadWithAnotherStageIsUpsertedOnce() {
        String phone = "+919820052013";
        superfoneLead(phone, json(200, superfoneLeadWithStage(5313, phone, "Qualified")));

        Leads.awaitReceipt(updateFor(fromTruto(phone, "Won"), "superfone"), "DELIVERED");

        wireMock().verify(1, superfoneRead(phone));
        assertThat(superfoneWrites(phone).size(), is(1));
        assertThat(superfoneWrites(phone).get(0).getBodyAsString(), containsString("\"lead_stage_name\":\"Won\""));
    }

    @Test
    void aPhoneSuperfoneDoesNotKnowIsUpsertedAsBefore() {
        String phone = "+919820052014"; // answered 400 "Customer not found", as the sandbox does

        Leads.awaitReceipt(updateFor(fromTruto(phone, "Won"), "superfone"), "DELIVERED");

        wireMock().verify(1, superfoneRead(phone));
        assertThat(superfoneWrites(phone).size(), is(1));
    }

    @Test
    void aSuperfoneAnswerWithoutALeadIsNotFoundToo() {
        String phone = "+919820052015";
        superfoneLead(phone, json(200, "{\"data\":null,\"message\":\"success\"}"));

        Leads.awaitReceipt(updateFor(fromTruto(phone, "Won"), "superfone"), "DELIVERED");

        wireMock().verify(1, superfoneRead(phone));
        assertThat(superfoneWrites(phone).size(), is(1));
    }

    @Test
    void aSuperfoneReadAnswered503IsRetriedThenSkipped() {
        String phone = "+919820052016";
        wireMock().stubFor(get(urlPathEqualTo(SUPERFONE)).withQueryParam("phone", equalTo(phone)).inScenario("read")
                .whenScenarioStateIs(STARTED).willReturn(json(503, "{\"message\":\"Service Unavailable\"}")).willSetStateTo("up"));
        wireMock().stubFor(get(urlPathEqualTo(SUPERFONE)).withQueryParam("phone", equalTo(phone)).inScenario("read")
                .whenScenarioStateIs("up").willReturn(json(200, superfoneLeadWithStage(5316, phone, "Won"))));

        JsonPath receipt = Leads.awaitReceipt(updateFor(fromTruto(phone, "Won"), "superfone"), "SKIPPED");

        assertThat(receipt.getInt("attempts"), is(2));
        wireMock().verify(2, superfoneRead(phone));
        assertThat(superfoneWrites(phone).size(), is(0));
    }

    @Test
    void aSuperfoneReadAnswered401IsAnUnauthorizedDeadLetterWithoutTheKey() {
        String phone = "+919820052017";
        superfoneLead(phone, json(401, "{\"message\":\"UnAuthorized, Please Provide Valid API Key (got "
                + CrmFakes.SUPERFONE_KEY + ")\"}"));

        String update = updateFor(fromTruto(phone, "Won"), "superfone");

        JsonPath receipt = Leads.awaitReceipt(update, "DEAD_LETTER");
        assertThat(receipt.getString("error"), is("UNAUTHORIZED: HTTP 401: Superfone lead read before write: UnAuthorized,"
                + " Please Provide Valid API Key (got ****)"));
        assertThat(Leads.deadLetterOf(update).getString("error"), not(containsString(CrmFakes.SUPERFONE_KEY)));
        assertThat(superfoneWrites(phone).size(), is(0));
    }

    @Test
    void aSuperfoneReadAnswered400ForAnotherReasonIsARejectedDeadLetter() {
        String phone = "+919820052018";
        superfoneLead(phone, json(400, "{\"message\":\"Invalid phone number\"}"));

        String update = updateFor(fromTruto(phone, "Won"), "superfone");

        assertThat(Leads.awaitReceipt(update, "DEAD_LETTER").getString("error"),
                is("REJECTED: HTTP 400: Superfone lead read before write: Invalid phone number"));
        assertThat(superfoneWrites(phone).size(), is(0));
    }

    // --- not from a flow ---

    @Test
    void anUpdateFromPostLeadsIsWrittenWithoutARead() {
        String phone = "+919820052021";
        superfoneLead(phone, json(200, superfoneLeadWithStage(5321, phone, "Won")));
        telecrmSearch(phone, json(200, telecrmLead("T-81", phone, "Won")));

        Leads.awaitReceipt(Leads.submit("{\"target\":\"superfone\",\"phone\":\"" + phone + "\",\"stage\":\"Won\"}"), "DELIVERED");
        Leads.awaitReceipt(Leads.submit("{\"target\":\"telecrm\",\"phone\":\"" + phone + "\",\"stage\":\"Won\"}"), "DELIVERED");

        wireMock().verify(0, superfoneRead(phone));
        wireMock().verify(0, searchFor(phone));
        assertThat(superfoneWrites(phone).size(), is(1));
        assertThat(telecrmWrites(phone).size(), is(1));
    }
}
