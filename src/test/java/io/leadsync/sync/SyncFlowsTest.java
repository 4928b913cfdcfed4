package io.leadsync.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Leads;
import io.leadsync.testing.Webhooks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Each flow end to end: a CRM's webhook in, the lead update at the other CRM's fake with the mapped stage, through
 * ordinary lead routing (receipt, retries, dead letter, replay); an echo that must not bounce back; one lead's
 * changes in its CRM's own time order. Flows: superfone>telecrm, truto:acc-1>telecrm, truto:acc-1>superfone,
 * superfone>truto:acc-1.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(Webhooks.Profile.class)
class SyncFlowsTest {

    static final String TELECRM = "/telecrm/autoupdate/v2/enterprise/ent-1/lead";
    static final String SUPERFONE = "/superfone/enterprise/api/lead";
    static final String TRUTO = "/truto/unified/crm/leads";

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
        crmsWithoutTheLeads();
    }

    /**
     * Every write answered with success, and the reads before a flow's write (ReadBeforeWriteTest) find no lead, as
     * TeleCRM's search and Superfone's fake answer an unknown phone: so every flow's update is written.
     */
    static void crmsWithoutTheLeads() {
        wireMock().resetAll();
        Webhooks.catalogs();
        telecrmAnswers(201, "{\"lead_id\":\"T-1\",\"actions\":[],\"remarks\":[]}");
        wireMock().stubFor(post(urlPathEqualTo(TELECRM + "/search")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":[],\"total_count\":0}")));
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":{\"id\":77},\"message\":\"success\"}")));
        wireMock().stubFor(get(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Customer not found\"}")));
        wireMock().stubFor(post(urlPathEqualTo(TRUTO)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"L-1\"}")));
    }

    static void telecrmAnswers(int status, String body) {
        wireMock().stubFor(post(urlPathEqualTo(TELECRM)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    static String stored(HttpResponse<String> answer) {
        assertThat(answer.body(), answer.statusCode(), is(200));
        JsonPath json = JsonPath.from(answer.body());
        assertThat(json.getString("status"), is("STORED"));
        return json.getString("id");
    }

    /** The id of the lead update an event became for a target, from the event's outcome. */
    static String updateFor(JsonPath event, String target) {
        Matcher update = Pattern.compile("lead update (\\S+) for " + Pattern.quote(target) + "(;|$)").matcher(event.getString("outcome"));
        assertThat(event.getString("outcome"), update.find(), is(true));
        return update.group(1);
    }

    static RequestPatternBuilder telecrmWrite(String phone, String stage) {
        return postRequestedFor(urlPathEqualTo(TELECRM)).withRequestBody(matchingJsonPath("$.fields.phone", equalTo(phone)))
                .withRequestBody(matchingJsonPath("$.fields.status", equalTo(stage)));
    }

    static List<LoggedRequest> telecrmWrites(String phone) {
        return wireMock().findAll(postRequestedFor(urlPathEqualTo(TELECRM))
                .withRequestBody(matchingJsonPath("$.fields.phone", equalTo(phone))));
    }

    static List<LoggedRequest> trutoWrites(String phone) {
        return wireMock().findAll(postRequestedFor(urlPathEqualTo(TRUTO))
                .withRequestBody(matchingJsonPath("$.phone_numbers[0].number", equalTo(phone))));
    }

    @Test
    void aSuperfoneStageChangeReachesTeleCrmAndTruto() {
        String id = stored(superfoneChanged(5101, "+91 98200 51010", "Qualified"));

        JsonPath event = awaitEvent(id, "CARRIED");
        JsonPath receipt = Leads.awaitReceipt(updateFor(event, "telecrm"), "DELIVERED");
        assertThat(receipt.getString("targetLeadId"), is("T-1"));
        wireMock().verify(1, telecrmWrite("+919820051010", "Qualified")
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TELECRM_TOKEN)));
        Leads.awaitReceipt(updateFor(event, "truto:acc-1"), "DELIVERED");
        assertThat(trutoWrites("+919820051010").size(), is(1));
        assertThat(trutoWrites("+919820051010").get(0).getBodyAsString(), containsString("\"status\":\"Qualified\""));
    }

    @Test
    void aTrutoLeadChangeReachesTeleCrmAndSuperfone() {
        // Truto's lead has TeleCRM's own phone format: no plus.
        String id = stored(trutoChanged(UUID.randomUUID().toString(), Instant.now(), "acc-1", "919820051020", "Won"));

        JsonPath event = awaitEvent(id, "CARRIED");
        Leads.awaitReceipt(updateFor(event, "telecrm"), "DELIVERED");
        Leads.awaitReceipt(updateFor(event, "superfone"), "DELIVERED");
        wireMock().verify(1, telecrmWrite("+919820051020", "Won"));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(SUPERFONE))
                .withRequestBody(matchingJsonPath("$.customer_phone", equalTo("+919820051020")))
                .withRequestBody(matchingJsonPath("$.lead_stage_name", equalTo("Won"))));
    }

    @Test
    void theEchoOfAWriteIsNotCarriedBackButTheNextRealChangeIs() {
        String phone = "+919820051030";
        JsonPath fromTruto = awaitEvent(stored(trutoChanged(UUID.randomUUID().toString(), Instant.now(), "acc-1",
                phone, "Won")), "CARRIED");
        Leads.awaitReceipt(updateFor(fromTruto, "superfone"), "DELIVERED");

        // Superfone reports the stage leadsync just wrote: not carried to Truto (nor anywhere).
        JsonPath echo = awaitEvent(stored(superfoneChanged(5103, phone, "Won")), "ECHO");
        assertThat(echo.getString("outcome"), containsString("leadsync wrote stage 'Won' to superfone for this lead in update "
                + updateFor(fromTruto, "superfone")));
        assertThat(trutoWrites(phone).size(), is(0));
        assertThat(telecrmWrites(phone).size(), is(1)); // the one from Truto's change

        // A change of its own in Superfone goes on to Truto.
        JsonPath change = awaitEvent(stored(superfoneChanged(5103, phone, "Qualified")), "CARRIED");
        Leads.awaitReceipt(updateFor(change, "truto:acc-1"), "DELIVERED");
        assertThat(trutoWrites(phone).size(), is(1));
        assertThat(trutoWrites(phone).get(0).getBodyAsString(), containsString("\"status\":\"Qualified\""));

        // Back to Won, the stage leadsync wrote before: Superfone moved on since that write, so this is the rep's own.
        JsonPath back = awaitEvent(stored(superfoneChanged(5103, phone, "Won")), "CARRIED");
        Leads.awaitReceipt(updateFor(back, "truto:acc-1"), "DELIVERED");
        assertThat(trutoWrites(phone).get(1).getBodyAsString(), containsString("\"status\":\"Won\""));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics, containsString("leadsync_sync_events_total{outcome=\"ECHO\",source=\"superfone\"}"));
    }

    @Test
    void aLeadsChangesGoInTheirCrmsTimeOrderAndTheLatestWins() {
        String phone = "+919820051040";
        Instant now = Instant.now();
        String later = stored(trutoChanged(UUID.randomUUID().toString(), now, "acc-1", phone, "Won"));
        String earlier = stored(trutoChanged(UUID.randomUUID().toString(), now.minusSeconds(60), "acc-1", phone,
                "Qualified"));

        JsonPath last = awaitEvent(later, "CARRIED");
        Leads.awaitReceipt(updateFor(last, "telecrm"), "DELIVERED");
        // Carried before the later one if both waited together, or found STALE if it came after: never last.
        JsonPath first = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> given().get("/webhooks/events/" + earlier).then().extract().jsonPath(),
                e -> !e.getString("status").equals("PENDING"));
        assertThat(first.getString("status"), is(in(List.of("CARRIED", "STALE"))));
        if (first.getString("status").equals("CARRIED")) {
            Leads.awaitReceipt(updateFor(first, "telecrm"), "DELIVERED");
        }
        List<LoggedRequest> writes = telecrmWrites(phone);
        assertThat(writes.get(writes.size() - 1).getBodyAsString(), containsString("\"status\":\"Won\""));
    }

    @Test
    void aChangeOlderThanOneAnotherSourceCarriedToTheTargetIsNotWrittenThere() {
        String phone = "+919820051070";
        JsonPath fromSuperfone = awaitEvent(stored(superfoneChanged(5107, phone, "Qualified")), "CARRIED");
        Leads.awaitReceipt(updateFor(fromSuperfone, "telecrm"), "DELIVERED");

        // Made in Truto a minute before Superfone's change, and arriving after it: for TeleCRM (fed by both) and for
        // Superfone (whose own change is later) Superfone's change wins, so it goes nowhere.
        JsonPath older = awaitEvent(stored(trutoChanged(UUID.randomUUID().toString(), Instant.now().minusSeconds(60),
                "acc-1", phone, "Won")), "STALE");
        assertThat(older.getString("outcome"), containsString("not for telecrm: a later change of this lead (at "));
        assertThat(older.getString("outcome"), containsString("not for superfone: a later change of this lead"));
        assertThat(telecrmWrites(phone).size(), is(1));
        wireMock().verify(0, postRequestedFor(urlPathEqualTo(SUPERFONE)).withRequestBody(containing(phone)));

        // A Truto change made after Superfone's is carried to both.
        JsonPath newer = awaitEvent(stored(trutoChanged(UUID.randomUUID().toString(), Instant.now().plusSeconds(1),
                "acc-1", phone, "Won")), "CARRIED");
        Leads.awaitReceipt(updateFor(newer, "telecrm"), "DELIVERED");
        Leads.awaitReceipt(updateFor(newer, "superfone"), "DELIVERED");
        assertThat(telecrmWrites(phone).get(1).getBodyAsString(), containsString("\"status\":\"Won\""));
    }

    @Test
    void aFlowWhoseTargetIsDownRetriesThenDeadLettersAndReplays() {
        telecrmAnswers(503, "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"down for maintenance\"}}");
        String phone = "+919820051050";
        JsonPath event = awaitEvent(stored(superfoneChanged(5105, phone, "Qualified")), "CARRIED");
        String update = updateFor(event, "telecrm");

        JsonPath receipt = Leads.awaitReceipt(update, "DEAD_LETTER");
        assertThat(receipt.getInt("attempts"), is(3)); // the first try and leadsync.delivery.retry.max-redeliveries=2
        JsonPath letter = Leads.deadLetterOf(update);
        assertThat(letter.getString("reason"), is("UNREACHABLE"));
        assertThat(letter.getString("origin"), is("sync flow superfone>telecrm (webhook event " + event.getString("id") + ")"));
        assertThat(telecrmWrites(phone).size(), is(3));

        telecrmAnswers(201, "{\"lead_id\":\"T-5\",\"actions\":[],\"remarks\":[]}");
        given().post("/dead-letters/" + letter.getString("id") + "/replay").then().statusCode(202);
        assertThat(Leads.awaitReceipt(update, "DELIVERED").getString("targetLeadId"), is("T-5"));
        assertThat(telecrmWrites(phone).size(), is(4));
        wireMock().verify(4, telecrmWrite(phone, "Qualified"));
    }

    @Test
    void aReplayedFlowUpdateIsStillTheFlowsWriteSoItsEchoIsKnown() {
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"down\"}")));
        String phone = "+919820051060";
        JsonPath fromTruto = awaitEvent(stored(trutoChanged(UUID.randomUUID().toString(), Instant.now(), "acc-1",
                phone, "Won")), "CARRIED");
        String update = updateFor(fromTruto, "superfone");
        Leads.awaitReceipt(update, "DEAD_LETTER");

        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":{\"id\":77},\"message\":\"success\"}")));
        given().post("/dead-letters/" + Leads.deadLetterOf(update).getString("id") + "/replay").then().statusCode(202);
        Leads.awaitReceipt(update, "DELIVERED");

        // Superfone reports the replayed write: an echo like any flow write's, carried neither to TeleCRM nor Truto.
        JsonPath echo = awaitEvent(stored(superfoneChanged(5106, phone, "Won")), "ECHO");
        assertThat(echo.getString("outcome"), containsString("in update " + update));
        assertThat(trutoWrites(phone).size(), is(0));
        assertThat(telecrmWrites(phone).size(), is(1)); // the one from Truto's change
    }

    @Test
    void aChangeBackToAStageLeadsyncWroteEarlierIsTheRepsOwnNotAnEcho() {
        String phone = "+919820051090";
        // Truto's changes written to Superfone: Won, then Qualified.
        for (String stage : new String[] { "Won", "Qualified" }) {
            JsonPath carried = awaitEvent(stored(trutoChanged(UUID.randomUUID().toString(), Instant.now(), "acc-1", phone,
                    stage)), "CARRIED");
            Leads.awaitReceipt(updateFor(carried, "superfone"), "DELIVERED");
        }
        // Superfone showing Qualified is what leadsync wrote last: an echo.
        awaitEvent(stored(superfoneChanged(5109, phone, "Qualified")), "ECHO");
        // Superfone showing Won, which leadsync wrote before Qualified overwrote it: the rep's own change, carried.
        JsonPath back = awaitEvent(stored(superfoneChanged(5109, phone, "Won")), "CARRIED");
        Leads.awaitReceipt(updateFor(back, "truto:acc-1"), "DELIVERED");
        assertThat(trutoWrites(phone).get(trutoWrites(phone).size() - 1).getBodyAsString(),
                containsString("\"status\":\"Won\""));
    }

    /** A record:updated event with this payload (INVENTED: no vendor example of a crm/leads record event exists). */
    static String trutoEvent(String event, String payload) {
        return """
                {"id":"%s","event":"%s","created_at":"%s","payload":%s}""".formatted(UUID.randomUUID(), event, Instant.now(), payload);
    }

    @Test
    void aTrutoRecordEventIsCarriedAsTheUnifiedApiReadsTheLeadNotAsThePayloadSays() {
        // The docs' example shape {event, resource, id, snapshot} for crm/leads: no phone, and a snapshot behind Truto.
        String phone = "+919820051080";
        Webhooks.trutoShows("acc-1", "L-81", phone, "Won");
        JsonPath event = awaitEvent(stored(truto(trutoEvent("record:updated", """
                {"event":"updated","resource":"crm/leads","id":"L-81","integrated_account_id":"acc-1",
                 "snapshot":{"status":"Qualified"}}"""))), "CARRIED");
        assertThat(event.getString("phone"), is(phone));
        assertThat(event.getString("stage"), is("Won"));
        Leads.awaitReceipt(updateFor(event, "telecrm"), "DELIVERED");
        // A new lead for TeleCRM: created with the name and e-mail the read gave.
        wireMock().verify(1, telecrmWrite(phone, "Won")
                .withRequestBody(matchingJsonPath("$.fields.name", equalTo("Ravi Kumar")))
                .withRequestBody(matchingJsonPath("$.fields.email", equalTo("ravi@example.com"))));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(TRUTO + "/L-81"))
                .withQueryParam("integrated_account_id", equalTo("acc-1"))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TRUTO_TOKEN)));
    }

    /** Truto's error answer ({statusCode, error, message}) to a read of this record. */
    static void trutoReadFails(String recordId, int status, String error, String message) {
        wireMock().stubFor(get(urlPathEqualTo(TRUTO + "/" + recordId)).willReturn(trutoError(status, error, message)));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder trutoError(int status, String error, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":" + status + ",\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
    }

    @Test
    void aTrutoLeadThatCannotBeReadIsIgnoredWithTheReason() {
        trutoReadFails("L-82", 404, "Not Found", "Record not found");
        JsonPath gone = awaitEvent(stored(truto(trutoEvent("record:updated", """
                {"resource":"crm/leads","resource_id":"L-82","integrated_account_id":"acc-1"}"""))), "IGNORED");
        assertThat(gone.getString("outcome"), is("Truto has no lead L-82 in integrated account acc-1 (HTTP 404): nothing to carry"));

        // Read, but with no phone: leads are matched across CRMs by it.
        wireMock().stubFor(get(urlPathEqualTo(TRUTO + "/L-83")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"L-83\",\"status\":\"Won\",\"phone_numbers\":[]}")));
        JsonPath noPhone = awaitEvent(stored(truto(trutoEvent("record:created", """
                {"resource":"crm/leads","record":{"id":"L-83","integrated_account_id":"acc-1"}}"""))), "IGNORED");
        assertThat(noPhone.getString("outcome"), containsString("truto:acc-1 lead L-83 has no phone number"));
        // A refusal (403) is the event's outcome too, in Truto's words and without the token.
        trutoReadFails("L-84", 403, "Forbidden", "no access to leads");
        JsonPath refused = awaitEvent(stored(truto(trutoEvent("record:updated", """
                {"resource":"crm/leads","id":"L-84","integrated_account_id":"acc-1"}"""))), "IGNORED");
        assertThat(refused.getString("outcome"), containsString("reading the lead from truto:acc-1 failed:"));
        assertThat(refused.getString("outcome"), containsString("no access to leads"));
        assertThat(refused.getString("outcome"), not(containsString(CrmFakes.TRUTO_TOKEN)));
        wireMock().verify(0, postRequestedFor(urlPathEqualTo(TELECRM)));
    }

    @Test
    void aTrutoReadThatFailsForAMomentIsRetriedLikeADelivery() {
        String phone = "+919820051085";
        wireMock().stubFor(get(urlPathEqualTo(TRUTO + "/L-85")).inScenario("read").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(trutoError(503, "Service Unavailable", "busy"))
                .willSetStateTo("up"));
        wireMock().stubFor(get(urlPathEqualTo(TRUTO + "/L-85")).inScenario("read").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"id":"L-85","status":"Qualified","phone_numbers":[{"number":"%s"}]}""".formatted(phone))));
        JsonPath event = awaitEvent(stored(truto(trutoEvent("record:updated", """
                {"resource":"crm/leads","id":"L-85","integrated_account_id":"acc-1"}"""))), "CARRIED");
        Leads.awaitReceipt(updateFor(event, "telecrm"), "DELIVERED");
        wireMock().verify(2, getRequestedFor(urlPathEqualTo(TRUTO + "/L-85")));
        wireMock().verify(1, telecrmWrite(phone, "Qualified"));
    }

    @Test
    void aTrutoReadThatKeepsFailingLeavesTheEventPendingUntilTrutoAnswers() {
        String phone = "+919820051088";
        trutoReadFails("L-88", 503, "Service Unavailable", "Account blocked");
        String id = stored(truto(trutoEvent("record:updated", """
                {"resource":"crm/leads","id":"L-88","integrated_account_id":"acc-1"}""")));
        // The first read and leadsync.delivery.retry.max-redeliveries=2 more, then the event waits: nothing lost.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> wireMock().findAll(getRequestedFor(urlPathEqualTo(TRUTO + "/L-88"))).size() >= 3);
        assertThat(given().get("/webhooks/events/" + id).then().extract().jsonPath().getString("status"), is("PENDING"));

        Webhooks.trutoShows("acc-1", "L-88", phone, "Won");
        Leads.awaitReceipt(updateFor(awaitEvent(id, "CARRIED"), "telecrm"), "DELIVERED");
        wireMock().verify(1, telecrmWrite(phone, "Won"));
    }

    @Test
    void aSyncJobsBatchOfTrutoLeadsIsCarriedLeadByLead() {
        Webhooks.trutoShows("acc-1", "L-86", "+919820051086", "Won");
        Webhooks.trutoShows("acc-1", "L-87", "+919820051087", "Qualified");
        HttpResponse<String> answer = truto(trutoEvent("sync_job_run:record", """
                {"resource":"crm/leads","records":[{"id":"L-86"},{"id":"L-87"}],"meta":{"integrated_account_id":"acc-1"}}"""));
        List<String> ids = JsonPath.from(answer.body()).getList("events.id");
        assertThat(answer.body(), ids.size(), is(2));
        Leads.awaitReceipt(updateFor(awaitEvent(ids.get(0), "CARRIED"), "telecrm"), "DELIVERED");
        Leads.awaitReceipt(updateFor(awaitEvent(ids.get(1), "CARRIED"), "telecrm"), "DELIVERED");
        wireMock().verify(1, telecrmWrite("+919820051086", "Won"));
        wireMock().verify(1, telecrmWrite("+919820051087", "Qualified"));
    }
}
