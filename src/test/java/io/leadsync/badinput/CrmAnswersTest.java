package io.leadsync.badinput;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Family "CRM answers and network faults": each CRM answers a stage poll, a lead delivery and an ETL page with what
 * real servers and networks send on a bad day — an HTML error page, truncated JSON, the wrong Content-Type, a 200
 * carrying an error, a redirect loop, a 50 MiB body, a slow drip, a reset, an empty answer, a broken chunk, random
 * bytes. A poll must fail with a clear reason and keep serving the last good catalog (recovered when the CRM answers
 * well again), a delivery must end as a dead letter with a clear reason, an export as a FAILED run with no files, all
 * in bounded time; good updates sent around them each reach the CRM once.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@ExtendWith(Tally.class)
class CrmAnswersTest {

    static final String FAMILY = "CRM answers and network faults";

    static final String HTML = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
            + "<body><h1>Bad Gateway</h1><p>nginx</p></body></html>";
    /**
     * Eight times leadsync.http.max-answer-size (1 MiB here, 16 MiB by default), and valid JSON: only its size is
     * wrong. Not 50 MiB: WireMock, on two busy cores, took longer than the 1 s response time-out to start sending that.
     */
    static final byte[] HUGE = huge(8 << 20);

    /** One CRM's call of one kind: where it goes, a good answer, and that CRM's error shape inside a 200. */
    record Call(String source, String path, boolean post, String good, String errorIn200, String errorDescribed) {
    }

    static final Call TELECRM_POLL = new Call("telecrm", "/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline", false,
            Fixtures.read("telecrm-lead-stage-pipeline.json"), "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"database busy\"}}",
            "INTERNAL database busy");
    static final Call SUPERFONE_POLL = new Call("superfone", "/superfone/enterprise/api/lead-stage", false,
            Fixtures.read("superfone-lead-stages.json"), "{\"status\":\"error\",\"message\":\"Customer service unavailable\"}",
            "Customer service unavailable");
    static final Call TRUTO_POLL = new Call("truto:acc-1", "/truto/unified/crm/stages", false, Fixtures.read("truto-stages.json"),
            "{\"statusCode\":502,\"error\":\"Bad Gateway\",\"message\":\"the integrated CRM did not answer\"}",
            "Bad Gateway: the integrated CRM did not answer");

    static final Call TELECRM_LEAD = new Call("telecrm", "/telecrm/autoupdate/v2/enterprise/ent-1/lead", true,
            "{\"lead_id\":\"T-1\"}", TELECRM_POLL.errorIn200, TELECRM_POLL.errorDescribed);
    static final Call SUPERFONE_LEAD = new Call("superfone", GoodUpdates.LEAD, true,
            "{\"data\":{\"id\":1},\"message\":\"success\"}", SUPERFONE_POLL.errorIn200, SUPERFONE_POLL.errorDescribed);
    static final Call TRUTO_LEAD = new Call("truto:acc-1", "/truto/unified/crm/leads", true, "{\"id\":\"L-1\"}",
            TRUTO_POLL.errorIn200, TRUTO_POLL.errorDescribed);

    static final Call TELECRM_EXPORT = new Call("telecrm-leads", "/telecrm/autoupdate/v2/enterprise/ent-1/lead/search", true,
            "{\"data\":[]}", TELECRM_POLL.errorIn200, TELECRM_POLL.errorDescribed);

    /**
     * A bad answer: what the CRM sends, whether the call is tried again (a dead letter's reason then is UNREACHABLE,
     * else REJECTED), and a part of the reason leadsync must give.
     */
    record Bad(String name, Function<Call, ResponseDefinitionBuilder> answer, boolean retried, Function<Call, String> reason) {
    }

    static List<Bad> bad() {
        List<Bad> bad = new ArrayList<>();
        bad.add(new Bad("an HTML error page with 200", call -> aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8").withBody(HTML), false,
                call -> "the answer is text/html; charset=utf-8, not JSON: <!DOCTYPE html>"));
        bad.add(new Bad("an HTML error page with 502", call -> aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody(HTML), true, call -> "HTTP 502: <!DOCTYPE html>"));
        bad.add(new Bad("truncated JSON", call -> json(200, call.good.substring(0, call.good.length() / 2)), false,
                call -> "invalid JSON in the answer: Unexpected end-of-input"));
        bad.add(new Bad("text/plain with 200", call -> aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                .withBody("Service temporarily unavailable, try again later"), false,
                call -> "the answer is text/plain, not JSON: Service temporarily unavailable"));
        bad.add(new Bad("a 200 carrying the CRM's error body", call -> json(200, call.errorIn200), false,
                call -> "HTTP 200: an error in a 200 answer: " + call.errorDescribed));
        bad.add(new Bad("a redirect loop (302 to itself)", call -> aResponse().withStatus(302)
                .withHeader("Location", "http://localhost:" + wireMock().port() + call.path), false,
                call -> "HTTP 302: the CRM redirects to http://localhost:" + wireMock().port() + call.path
                        + "; leadsync follows no redirects"));
        bad.add(new Bad("an 8 MiB body", call -> plain(json(200, "")).withBody(HUGE), false, call -> "the answer is over 1 MiB (leadsync.http.max-answer-size)"));
        bad.add(new Bad("a slow drip (a chunk every 0.4 s)", call -> plain(json(200, call.good))
                .withChunkedDribbleDelay(Math.min(40, call.good.length()), Math.min(40, call.good.length()) * 400), true,
                call -> "time-out: the whole answer did not arrive within 2500 ms (leadsync.http.answer-timeout)"));
        bad.add(new Bad("a connection reset by the peer", call -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), true,
                call -> "connection failed: Connection reset"));
        bad.add(new Bad("an empty answer (connection closed)", call -> aResponse().withFault(Fault.EMPTY_RESPONSE), true,
                call -> "connection failed: the CRM closed the connection without answering"));
        bad.add(new Bad("a malformed chunk mid-answer", call -> aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK), true,
                call -> "connection failed: the answer broke off"));
        bad.add(new Bad("random bytes, then closed", call -> aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE), true,
                call -> "connection failed: the CRM closed the connection without answering"));
        return bad;
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** Sent as is: WireMock's Jetty would gzip it, buffering the drip and squeezing the bulk (a real CRM may not). */
    static ResponseDefinitionBuilder plain(ResponseDefinitionBuilder answer) {
        return answer.withHeader("Content-Encoding", "identity");
    }

    static byte[] huge(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        byte[] start = "{\"data\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(start, 0, body, 0, start.length);
        body[size - 2] = '"';
        body[size - 1] = '}';
        return body;
    }

    @TestFactory
    List<DynamicTest> polls() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Call call : List.of(TELECRM_POLL, SUPERFONE_POLL, TRUTO_POLL)) {
            for (Bad bad : bad()) {
                tests.add(DynamicTest.dynamicTest(call.source + " poll: " + bad.name, () -> poll(call, bad)));
            }
        }
        return tests;
    }

    /** The poll fails saying why, the last good catalog stays served, and the next good answer is taken. */
    void poll(Call call, Bad bad) {
        GoodUpdates good = new GoodUpdates(FAMILY, "9182");
        String input = call.source + " poll: " + bad.name;
        GoodUpdates.superfoneUp();
        wireMock().stubFor(get(urlPathEqualTo(call.path)).willReturn(json(200, call.good)));
        int stages = Polls.refresh(call.source).getInt("stageCount");
        wireMock().stubFor(get(urlPathEqualTo(call.path)).willReturn(bad.answer.apply(call)));
        int asked = polled(call);
        JsonPath failed = Polls.refresh(call.source);
        if (!"FAILING".equals(failed.getString("status"))) {
            Tally.record(FAMILY, input, Tally.Outcome.TAKEN);
            Assertions.fail(input + ": taken, the source is " + failed.getString("status"));
        }
        assertReason(input, failed.getString("error"), bad.reason.apply(call));
        assertThat(input + ": tries", polled(call) - asked, is(bad.retried ? 3 : 1));
        assertThat(input + ": the last good catalog is served", Polls.stages(call.source).getList("stages").size(), is(stages));
        // No thread is stuck: a good update goes through meanwhile, and the next good answer is taken.
        Leads.awaitReceipt(Leads.submit(good.json()), "DELIVERED");
        wireMock().stubFor(get(urlPathEqualTo(call.path)).willReturn(json(200, call.good)));
        JsonPath recovered = Polls.refresh(call.source);
        assertThat(input + ": recovered", recovered.getString("status"), is("OK"));
        arrivedOnce(good);
        Tally.record(FAMILY, input, Tally.Outcome.RECOVERED);
    }

    @TestFactory
    List<DynamicTest> deliveries() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Call call : List.of(TELECRM_LEAD, SUPERFONE_LEAD, TRUTO_LEAD)) {
            for (Bad bad : bad()) {
                tests.add(DynamicTest.dynamicTest(call.source + " delivery: " + bad.name, () -> delivery(call, bad)));
            }
        }
        return tests;
    }

    /** The update is retried when the fault may pass, then parked with the reason; good updates around it go through. */
    void delivery(Call call, Bad bad) {
        GoodUpdates good = new GoodUpdates(FAMILY, "9182");
        String input = call.source + " delivery: " + bad.name;
        GoodUpdates.superfoneUp();
        catalogs();
        String phone = badPhone();
        String before = Leads.submit(good.json());
        // Only the bad update's own requests get the bad answer (it is matched by its phone).
        wireMock().stubFor(post(urlPathEqualTo(call.path)).atPriority(1).withRequestBody(containing(phone.substring(1)))
                .willReturn(bad.answer.apply(call)));
        String id = Leads.submit("{\"target\":\"" + call.source + "\",\"phone\":\"" + phone + "\",\"stage\":\""
                + ("telecrm".equals(call.source) ? "Qualified" : "superfone".equals(call.source) ? "Qualified" : "Lead In") + "\"}");
        String after = Leads.submit(good.json());
        JsonPath receipt = settled(id);
        if ("DELIVERED".equals(receipt.getString("status"))) {
            Tally.record(FAMILY, input, Tally.Outcome.TAKEN);
            Assertions.fail(input + ": taken as delivered");
        }
        JsonPath letter = Leads.deadLetterOf(id);
        assertReason(input, letter.getString("error"), bad.reason.apply(call));
        assertThat(input, letter.getString("reason"), is(bad.retried ? "UNREACHABLE" : "REJECTED"));
        int sent = wireMock().findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(call.path))
                .withRequestBody(containing(phone.substring(1)))).size();
        assertThat(input + ": calls made", sent, is(bad.retried ? 3 : 1));
        assertThat(input + ": attempts recorded", letter.getInt("attempts"), is(sent));
        Leads.awaitReceipt(before, "DELIVERED");
        Leads.awaitReceipt(after, "DELIVERED");
        arrivedOnce(good);
        Tally.record(FAMILY, input, Tally.Outcome.DEAD_LETTERED);
    }

    @TestFactory
    List<DynamicTest> exports() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Bad bad : bad()) {
            tests.add(DynamicTest.dynamicTest("telecrm-leads export: " + bad.name, () -> export(TELECRM_EXPORT, bad)));
        }
        return tests;
    }

    /** The run is FAILED with the reason and leaves no file; the next run with good answers succeeds. */
    void export(Call call, Bad bad) {
        GoodUpdates good = new GoodUpdates(FAMILY, "9182");
        String input = "telecrm-leads export: " + bad.name;
        GoodUpdates.superfoneUp();
        wireMock().stubFor(post(urlPathEqualTo(call.path)).willReturn(bad.answer.apply(call)));
        JsonPath run = run(call.source);
        if (!"FAILED".equals(run.getString("status"))) {
            Tally.record(FAMILY, input, Tally.Outcome.TAKEN);
            Assertions.fail(input + ": the run is " + run.getString("status"));
        }
        assertReason(input, run.getString("error"), bad.reason.apply(call));
        assertThat(input + ": no partial export", run.getList("files"), empty());
        Leads.awaitReceipt(Leads.submit(good.json()), "DELIVERED");
        wireMock().stubFor(post(urlPathEqualTo(call.path)).willReturn(json(200, call.good)));
        assertThat(input + ": the next run", run(call.source).getString("status"), is("SUCCEEDED"));
        arrivedOnce(good);
        Tally.record(FAMILY, input, Tally.Outcome.RECOVERED);
    }

    /** The good updates sent around one bad answer each reached Superfone exactly once (before the next case resets it). */
    static void arrivedOnce(GoodUpdates good) {
        assertThat(good.tallyLostAndDuplicated(), is(0));
    }

    /** A phone for a bad update, outside the good updates' count. */
    static String badPhone() {
        return "+9183" + String.format("%08d", BAD_PHONES.incrementAndGet());
    }

    static final java.util.concurrent.atomic.AtomicInteger BAD_PHONES = new java.util.concurrent.atomic.AtomicInteger();

    /** Requests of the poll so far (the journal is not reset: it holds the good updates' deliveries). */
    static int polled(Call call) {
        return wireMock().findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(call.path))).size();
    }

    static void catalogs() {
        wireMock().stubFor(get(urlPathEqualTo(TELECRM_POLL.path)).willReturn(json(200, TELECRM_POLL.good)));
        wireMock().stubFor(get(urlPathEqualTo(TRUTO_POLL.path)).willReturn(json(200, TRUTO_POLL.good)));
        given().queryParam("source", "telecrm").post("/stages/refresh").then().statusCode(200);
        given().queryParam("source", "truto").post("/stages/refresh").then().statusCode(200);
        for (Call call : List.of(TELECRM_LEAD, TRUTO_LEAD)) {
            wireMock().stubFor(post(urlPathEqualTo(call.path)).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json").withBody(call.good)));
        }
    }

    /** The receipt once it is no longer PENDING. */
    static JsonPath settled(String id) {
        JsonPath[] receipt = new JsonPath[1];
        Awaitility.await(id + " settled").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            receipt[0] = given().get("/leads/" + id).then().statusCode(200).extract().jsonPath();
            return !"PENDING".equals(receipt[0].getString("status"));
        });
        return receipt[0];
    }

    /** Runs the job through the API and waits for its end. */
    static JsonPath run(String job) {
        String id = given().post("/etl/jobs/" + job + "/run").then().statusCode(202).extract().jsonPath().getString("id");
        JsonPath[] run = new JsonPath[1];
        Awaitility.await(job + " run " + id).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = given().queryParam("job", job).get("/etl/runs").then().statusCode(200).extract().jsonPath()
                    .setRootPath("runs.find { it.id == '" + id + "' }");
            return run[0].getString("status") != null && !"RUNNING".equals(run[0].getString("status"));
        });
        return run[0];
    }

    /** The reason says what went wrong, and no credential with it. */
    static void assertReason(String input, String reason, String expected) {
        assertThat(input + ": reason", reason, containsString(expected));
        for (String secret : new String[] { CrmFakes.TELECRM_TOKEN, CrmFakes.SUPERFONE_KEY, CrmFakes.TRUTO_TOKEN }) {
            assertThat(input + ": no credential in the reason", reason, not(containsString(secret)));
        }
    }
}
