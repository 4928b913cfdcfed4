package io.leadsync.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadsync.model.DeadLetter;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Lead updates from POST /leads to Superfone and Truto, through the delivery routes' error policy (routes/lead-delivery.yaml). The tests share one
 * app and one WireMock: each waits for every update it submitted to finish before the next begins, and counts only
 * the requests of its own updates (matched by phone), so a delivery of another test, or another class of the same
 * app, never changes a count.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class LeadDeliveryTest {

    static final String SUPERFONE = "/superfone/enterprise/api/lead";
    static final String TRUTO = "/truto/unified/crm/leads";

    @jakarta.inject.Inject
    LeadHistory history;

    /** Each event of an update's history as "kind status attempt httpStatus: detail". */
    List<String> historyOf(String id) {
        return history.of(List.of(id)).stream().map(e -> e.kind() + " " + e.status() + " " + e.attempt() + " "
                + e.httpStatus() + ": " + e.detail()).toList();
    }

    /** The updates this test submitted. */
    final List<String> submitted = new java.util.ArrayList<>();

    /** POST /leads, remembered for {@link #everyUpdateOfThisTestIsFinished}. */
    String submit(String json) {
        String id = Leads.submit(json);
        submitted.add(id);
        return id;
    }

    /**
     * An update still pending (waiting out a Retry-After, say) would call the CRM during a later test, after its
     * resetAll, and be counted there: each test ends when everything it started has ended.
     */
    @AfterEach
    void everyUpdateOfThisTestIsFinished() {
        submitted.forEach(Leads::awaitFinished);
    }

    /** The Superfone upserts of one phone: a test's own requests, whatever other tests still send. */
    static RequestPatternBuilder superfonePostsFor(String phone) {
        return postRequestedFor(urlPathEqualTo(SUPERFONE)).withRequestBody(matchingJsonPath("$.customer_phone", equalTo(phone)));
    }

    /** The Truto creates of one phone. */
    static RequestPatternBuilder trutoPostsFor(String phone) {
        return postRequestedFor(urlPathEqualTo(TRUTO)).withRequestBody(matchingJsonPath("$.phone_numbers[0].number", equalTo(phone)));
    }

    @BeforeEach
    void catalogs() {
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo("/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("superfone-lead-stages.json"))));
        wireMock().stubFor(get(urlPathEqualTo("/truto/unified/crm/stages"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("truto-stages.json"))));
        given().post("/stages/refresh").then().statusCode(200);
    }

    static void superfoneAnswers(int status, String body) {
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void superfoneUpsertIsSentAsDocumented() {
        superfoneAnswers(200, "{\"data\":{\"id\":77,\"first_name\":\"Jane\"},\"message\":\"success\"}");
        String id = submit("""
                {"target":"superfone","phone":"+919999999999","name":"Jane Doe","email":"jane@example.com",
                 "stage":"Qualified","fields":{"city":"Pune","deal_value":1000}}""");

        JsonPath receipt = Leads.awaitReceipt(id, "DELIVERED");
        assertThat(receipt.getString("targetLeadId"), is("77"));
        assertThat(receipt.getInt("attempts"), is(1));
        assertThat(receipt.getString("target"), is("superfone"));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(SUPERFONE))
                .withHeader("x-api-key", equalTo(CrmFakes.SUPERFONE_KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"customer_phone":"+919999999999","create_customer_if_customer_phone_not_found":true,
                         "lead_stage_name":"Qualified","first_name":"Jane","last_name":"Doe",
                         "email":["jane@example.com"],"city":"Pune","deal_value":1000}""")));
    }

    @jakarta.inject.Inject
    LeadStore store;

    @jakarta.inject.Inject
    io.leadsync.storage.Store database;

    @Test
    void finishedUpdatesAndExpiredIdempotencyKeysArePrunedPendingOnesNever() {
        superfoneAnswers(200, "{\"data\":{\"id\":78},\"message\":\"success\"}");
        String body = "{\"target\":\"superfone\",\"phone\":\"+919999999998\",\"stage\":\"Qualified\"}";
        String id = given().header("Idempotency-Key", "prune-me").contentType("application/json").body(body).post("/leads").then().statusCode(202)
                .extract().path("id");
        Leads.awaitReceipt(id, "DELIVERED"); // finished, and pruned below: not one for the check after the test
        java.time.Instant now = java.time.Instant.now();

        // Nothing finished before the cut-off: nothing goes, and the key still answers with the first id.
        store.prune(now.minusSeconds(3600), now.minusSeconds(3600));
        given().get("/leads/" + id).then().statusCode(200);
        given().header("Idempotency-Key", "prune-me").contentType("application/json").body(body).post("/leads").then().statusCode(202).body("id", is(id));

        // An update waiting out a Retry-After is PENDING: pruning must leave it alone.
        wireMock().stubFor(post(urlPathEqualTo(TRUTO)).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "3")));
        String pending = submit("{\"target\":\"truto:acc-1\",\"phone\":\"+919999999997\",\"name\":\"P\"}");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> given().get("/leads/" + pending).path("attempts"), is(1));
        database.write(c -> { // as if its delivery had failed once first
            history.insert(c, LeadHistory.attempt(id, now, 1, DeadLetter.Reason.UNREACHABLE, 503, "HTTP 503: down"));
            return null;
        });
        assertThat(historyOf(id).size(), is(1));
        assertThat(store.prune(now.plusSeconds(3600), now.plusSeconds(3600)), greaterThanOrEqualTo(1));
        given().get("/leads/" + id).then().statusCode(404);
        given().get("/leads/" + pending).then().statusCode(200).body("status", is("PENDING"));
        assertThat("a pending update keeps its attempts", historyOf(pending).size(), greaterThanOrEqualTo(1));
        assertThat("a pruned update's history goes with it", historyOf(id), empty());
        // The expired key is free again: the same submission is a new update.
        String again = given().header("Idempotency-Key", "prune-me").contentType("application/json").body(body).post("/leads").then().statusCode(202)
                .extract().path("id");
        assertThat(again, not(is(id)));
        submitted.add(again);

        // Truto is back: the pending update is delivered at its next attempt, here, not in a later test.
        wireMock().stubFor(post(urlPathEqualTo(TRUTO)).willReturn(aResponse().withStatus(201).withBody("{\"id\":\"L-P\"}")));
    }

    @Test
    void trutoCreatesWithAnIdempotencyKeyAndPatchesKnownLeads() {
        wireMock().stubFor(post(urlPathEqualTo(TRUTO)).willReturn(aResponse().withStatus(201)
                .withBody("{\"id\":\"L-1\",\"first_name\":\"Ravi\"}")));
        wireMock().stubFor(patch(urlPathEqualTo(TRUTO + "/L-9")).willReturn(aResponse().withStatus(200)
                .withBody("{\"id\":\"L-9\"}")));

        String created = submit("""
                {"target":"truto:acc-1","phone":"+919811111111","name":"Ravi Kumar","email":"ravi@example.com","stage":"Won"}""");
        assertThat(Leads.awaitReceipt(created, "DELIVERED").getString("targetLeadId"), is("L-1"));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(TRUTO))
                .withQueryParam("integrated_account_id", equalTo("acc-1"))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TRUTO_TOKEN))
                .withHeader("Idempotency-Key", equalTo("leadsync-" + created))
                .withRequestBody(equalToJson("""
                        {"first_name":"Ravi","last_name":"Kumar","email_addresses":[{"email":"ravi@example.com"}],
                         "phone_numbers":[{"number":"+919811111111"}],"status":"Won"}""")));

        String updated = submit("{\"target\":\"truto:acc-1\",\"leadId\":\"L-9\",\"stage\":\"Lead In\"}");
        assertThat(Leads.awaitReceipt(updated, "DELIVERED").getString("targetLeadId"), is("L-9"));
        wireMock().verify(1, patchRequestedFor(urlPathEqualTo(TRUTO + "/L-9"))
                .withQueryParam("integrated_account_id", equalTo("acc-1"))
                .withRequestBody(equalToJson("{\"status\":\"Lead In\"}")));
    }

    @Test
    void aRefusalIsADeadLetterWithTheCrmsOwnWordsAndNoRetry() {
        superfoneAnswers(400, "{\"message\":\"Multiple lead groups found with this name\"}");
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+919999999990\",\"stage\":\"New Lead\"}");

        JsonPath receipt = Leads.awaitReceipt(id, "DEAD_LETTER");
        assertThat(receipt.getString("error"), is("REJECTED: HTTP 400: Multiple lead groups found with this name"));
        JsonPath deadLetter = Leads.deadLetterOf(id);
        assertThat(deadLetter.getString("reason"), is("REJECTED"));
        assertThat(deadLetter.getInt("httpStatus"), is(400));
        assertThat(deadLetter.getInt("attempts"), is(1));
        assertThat(deadLetter.getString("update.phone"), is("+919999999990"));
        wireMock().verify(1, superfonePostsFor("+919999999990"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 403, 404, 409, 422 })
    void clientErrorsAreNeverRetried(int status) {
        superfoneAnswers(status, "{\"message\":\"refused with " + status + "\"}");
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+91995000" + status + "\"}");
        assertThat(Leads.awaitReceipt(id, "DEAD_LETTER").getString("error"),
                is("REJECTED: HTTP " + status + ": refused with " + status));
        assertThat(Leads.deadLetterOf(id).getInt("httpStatus"), is(status));
        wireMock().verify(1, superfonePostsFor("+91995000" + status));
    }

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 503, 504 })
    void serverErrorsAreRetried(int status) {
        superfoneAnswers(status, "{\"message\":\"failing with " + status + "\"}");
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+91996000" + status + "\"}");
        assertThat(Leads.awaitReceipt(id, "DEAD_LETTER").getString("error"),
                is("UNREACHABLE: HTTP " + status + ": failing with " + status));
        wireMock().verify(3, superfonePostsFor("+91996000" + status));
    }

    @Test
    void timeOutsAndDroppedConnectionsAreRetried() {
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(200).withFixedDelay(1500)
                .withBody("{\"data\":{\"id\":1},\"message\":\"success\"}")));
        String slow = submit("{\"target\":\"superfone\",\"phone\":\"+919970000001\"}");
        JsonPath slowReceipt = Leads.awaitReceipt(slow, "DEAD_LETTER");
        assertThat(slowReceipt.getString("error"), is("UNREACHABLE: time-out: no answer within leadsync.http.response-timeout"));
        assertThat(slowReceipt.getInt("attempts"), is(3));
        wireMock().verify(3, superfonePostsFor("+919970000001"));

        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        String dropped = submit("{\"target\":\"superfone\",\"phone\":\"+919970000002\"}");
        assertThat(Leads.awaitReceipt(dropped, "DEAD_LETTER").getString("error"), startsWith("UNREACHABLE: "));
        wireMock().verify(3, superfonePostsFor("+919970000002"));
    }

    @Test
    void unauthorizedIsADeadLetterAndTheSourceFails() {
        superfoneAnswers(401, "{\"message\":\"UnAuthorized, Please Provide Valid API Key\"}");
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+919999999991\"}");
        assertThat(Leads.awaitReceipt(id, "DEAD_LETTER").getString("error"),
                is("UNAUTHORIZED: HTTP 401: UnAuthorized, Please Provide Valid API Key"));
        wireMock().verify(1, superfonePostsFor("+919999999991"));
        JsonPath stages = Polls.stages("superfone");
        assertThat(stages.getString("sources[0].status"), is("FAILING"));
        assertThat(stages.getString("sources[0].error"), containsString("UnAuthorized"));
    }

    @Test
    void serverErrorsAreRetriedWithBackOffThenDeadLettered() {
        superfoneAnswers(503, "{\"message\":\"down\"}");
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+919999999992\"}");
        assertThat(Leads.awaitReceipt(id, "DEAD_LETTER").getString("error"), is("UNREACHABLE: HTTP 503: down"));
        assertThat(Leads.deadLetterOf(id).getInt("attempts"), is(3));
        wireMock().verify(3, superfonePostsFor("+919999999992")); // 1 + 2 redeliveries (test config)
        // Each attempt and the CRM's answer to it are kept, beyond the receipt's last error (the console's timeline).
        assertThat(historyOf(id), contains("ATTEMPT UNREACHABLE 1 503: HTTP 503: down",
                "ATTEMPT UNREACHABLE 2 503: HTTP 503: down", "ATTEMPT UNREACHABLE 3 503: HTTP 503: down"));
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        rateLimitedOnceThenOk("1");
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        rateLimitedOnceThenOk(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(2)));
    }

    void rateLimitedOnceThenOk(String retryAfter) {
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).inScenario("429").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", retryAfter)
                        .withBody("{\"message\":\"slow down\"}")).willSetStateTo("open"));
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).inScenario("429").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withBody("{\"data\":{\"id\":5},\"message\":\"success\"}")));
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+919999999993\"}");

        assertThat(Leads.awaitReceipt(id, "DELIVERED").getInt("attempts"), is(2));
        List<LoggedRequest> calls = wireMock().findAll(superfonePostsFor("+919999999993"));
        assertThat(calls.size(), is(2));
        // The retry waited for Retry-After (about a second), not for the 10 ms back-off of the test config.
        long waited = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertThat(waited, greaterThanOrEqualTo(800L));
    }

    @Test
    void anUnknownStageIsAValidationDeadLetterAndTheCrmIsNotCalled() {
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+919999999994\",\"stage\":\"Hot\"}");
        JsonPath receipt = Leads.awaitReceipt(id, "DEAD_LETTER");
        assertThat(receipt.getString("error"),
                is("VALIDATION: unknown stage 'Hot' for superfone; valid stages: [New Lead, Qualified]"));
        assertThat(Leads.deadLetterOf(id).getString("reason"), is("VALIDATION"));
        assertThat(Leads.deadLetterOf(id).getInt("attempts"), is(0));
        wireMock().verify(0, superfonePostsFor("+919999999994"));
        assertThat(historyOf(id), empty()); // no attempt was made
    }

    @Test
    void archivedStagesAndMisplacedLostReasonsAreRefused() {
        String archived = submit("{\"target\":\"truto:acc-1\",\"leadId\":\"L-1\",\"stage\":\"Old Stage\"}");
        assertThat(Leads.awaitReceipt(archived, "DEAD_LETTER").getString("error"),
                is("VALIDATION: stage 'Old Stage' is archived in truto:acc-1; valid stages: [Lead In, Won]"));
        String lost = submit("{\"target\":\"truto:acc-1\",\"leadId\":\"L-1\",\"stage\":\"Won\",\"lostReason\":\"Price\"}");
        assertThat(Leads.awaitReceipt(lost, "DEAD_LETTER").getString("error"),
                is("VALIDATION: a lost reason belongs to a LOST stage, but 'Won' is WON in truto:acc-1; LOST stages: []"));
        // Both name lead L-1, so a delivery would be a PATCH of it (a POST here is another test's late create).
        wireMock().verify(0, patchRequestedFor(urlPathEqualTo(TRUTO + "/L-1")));
    }

    @Test
    void stagesAreMappedAcrossCrms() {
        superfoneAnswers(200, "{\"data\":{\"id\":1},\"message\":\"success\"}");
        // explicit pair from config: telecrm/Contacted=superfone/Qualified
        Leads.awaitReceipt(submit(
                "{\"target\":\"superfone\",\"phone\":\"+919800000001\",\"stage\":\"Contacted\",\"stageSource\":\"telecrm\"}"),
                "DELIVERED");
        // same category: TeleCRM's Fresh is OPEN → Superfone's first active OPEN stage
        Leads.awaitReceipt(submit(
                "{\"target\":\"superfone\",\"phone\":\"+919800000002\",\"stage\":\"Fresh\",\"stageSource\":\"telecrm\"}"),
                "DELIVERED");
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(SUPERFONE)).withRequestBody(equalToJson(
                "{\"customer_phone\":\"+919800000001\",\"lead_stage_name\":\"Qualified\"}", true, true)));
        wireMock().verify(1, postRequestedFor(urlPathEqualTo(SUPERFONE)).withRequestBody(equalToJson(
                "{\"customer_phone\":\"+919800000002\",\"lead_stage_name\":\"New Lead\"}", true, true)));
        // no counterpart: TeleCRM's Won (WON) has no WON stage in Superfone's catalog here
        String none = submit("{\"target\":\"superfone\",\"phone\":\"+919800000003\",\"stage\":\"Won\",\"stageSource\":\"telecrm\"}");
        assertThat(Leads.awaitReceipt(none, "DEAD_LETTER").getString("error"), containsString(
                "stage 'Won' of telecrm has no counterpart in superfone: no pair in leadsync.delivery.stage-map, no stage of"
                        + " that name, and no active WON stage; valid stages of superfone: [New Lead, Qualified]"));
    }

    @Test
    void deadLettersAreReplayedOneByOneAndInBulk() {
        superfoneAnswers(400, "{\"message\":\"Customer not found\"}");
        String first = submit("{\"target\":\"superfone\",\"phone\":\"+919700000001\"}");
        String second = submit("{\"target\":\"superfone\",\"phone\":\"+919700000002\"}");
        String third = submit("{\"target\":\"superfone\",\"phone\":\"+919700000003\"}");
        for (String id : List.of(first, second, third)) {
            Leads.awaitReceipt(id, "DEAD_LETTER");
        }
        superfoneAnswers(200, "{\"data\":{\"id\":9},\"message\":\"success\"}");

        String deadLetterId = Leads.deadLetterOf(first).getString("id");
        given().post("/dead-letters/" + deadLetterId + "/replay").then().statusCode(202);
        assertThat(Leads.awaitReceipt(first, "DELIVERED").getString("targetLeadId"), is("9"));
        given().get("/dead-letters/" + deadLetterId).then().statusCode(404).contentType("application/problem+json");
        // The receipt starts again; what the update went through before stays in its history.
        assertThat(historyOf(first), containsInAnyOrder("ATTEMPT REJECTED 1 400: HTTP 400: Customer not found",
                "ACCEPTED null null null: POST /leads", "DEAD_LETTER REJECTED 1 400: HTTP 400: Customer not found",
                "REPLAYED null null null: dead letter " + deadLetterId + " replayed"));

        // The bulk replay takes every REJECTED dead letter of superfone, earlier tests' too: all are this test's work now.
        submitted.addAll(given().queryParam("target", "superfone").queryParam("reason", "REJECTED").post("/dead-letters/replay")
                .then().statusCode(202).extract().jsonPath().getList("replayed", String.class));
        Leads.awaitReceipt(second, "DELIVERED");
        Leads.awaitReceipt(third, "DELIVERED");
        assertThat(Leads.deadLetterOf(second).getString("id"), nullValue());
    }

    @Test
    void aReplayThatFailsAgainIsOneDeadLetterAgain() {
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+919700000009\",\"stage\":\"Nope\"}");
        Leads.awaitReceipt(id, "DEAD_LETTER");
        String deadLetterId = Leads.deadLetterOf(id).getString("id");
        given().post("/dead-letters/" + deadLetterId + "/replay").then().statusCode(202);
        Leads.awaitReceipt(id, "DEAD_LETTER");
        List<String> ofThisUpdate = given().queryParam("limit", 1000).get("/dead-letters").then().extract().jsonPath()
                .getList("deadLetters.findAll { it.updateId == '" + id + "' }.id");
        assertThat(ofThisUpdate.size(), is(1));
        assertThat(ofThisUpdate.get(0), not(deadLetterId));
    }

    @Test
    void deadLettersArePagedOldestFirst() {
        List<String> updates = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = submit("{\"target\":\"superfone\",\"phone\":\"+91970000020" + i + "\",\"stage\":\"Paged\"}");
            Leads.awaitReceipt(id, "DEAD_LETTER");
            updates.add(id);
        }
        List<String> seen = new java.util.ArrayList<>();
        String after = null;
        do {
            var request = given().queryParam("limit", 2).queryParam("reason", "VALIDATION");
            JsonPath page = (after == null ? request : request.queryParam("after", after)).get("/dead-letters")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(page.getList("deadLetters").size() <= 2, is(true));
            seen.addAll(page.getList("deadLetters.updateId"));
            after = page.getString("next");
        } while (after != null);
        List<String> ours = seen.stream().filter(updates::contains).toList();
        assertThat(ours, is(updates)); // each once, in the order they failed
    }

    @Test
    void deadLettersAreFilteredAndDeleted() {
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+919700000010\",\"stage\":\"Nope\"}");
        Leads.awaitReceipt(id, "DEAD_LETTER");
        String deadLetterId = Leads.deadLetterOf(id).getString("id");
        List<String> validation = given().queryParam("reason", "VALIDATION").get("/dead-letters").then().statusCode(200)
                .extract().jsonPath().getList("deadLetters.reason");
        assertThat(validation.stream().allMatch("VALIDATION"::equals), is(true));
        given().queryParam("reason", "SOMETIMES").get("/dead-letters").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("must be one of"));
        given().queryParam("limit", "0").get("/dead-letters").then().statusCode(400)
                .body("detail", is("query parameter 'limit' must be 1 to 1000, not '0'"));
        given().delete("/dead-letters/" + deadLetterId).then().statusCode(204);
        given().delete("/dead-letters/" + deadLetterId).then().statusCode(404);
    }

    @Test
    void credentialsNeverReachReceiptsOrDeadLetters() {
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(400)
                .withBody("bad key {{request.headers.x-api-key}}").withTransformers("response-template")));
        String id = submit("{\"target\":\"superfone\",\"phone\":\"+919700000011\"}");
        JsonPath receipt = Leads.awaitReceipt(id, "DEAD_LETTER");
        assertThat(receipt.getString("error"), is("REJECTED: HTTP 400: bad key ****"));
        String all = given().queryParam("limit", 1000).get("/dead-letters").then().extract().asString();
        assertThat(all, not(containsString(CrmFakes.SUPERFONE_KEY)));
    }

    static com.github.tomakehurst.wiremock.matching.StringValuePattern containing(String text) {
        return com.github.tomakehurst.wiremock.client.WireMock.containing(text);
    }
}
