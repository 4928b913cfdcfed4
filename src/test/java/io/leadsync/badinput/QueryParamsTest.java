package io.leadsync.badinput;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Leads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Family "query parameters, headers and path ids" of leadsync's own API (the sandbox aside): each malformed one is a 400 problem saying what the parameter takes, never coerced or ignored.
 * A dead letter lives through them all: a bad filter must neither replay nor delete it.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@ExtendWith(Tally.class)
class QueryParamsTest {

    static final String FAMILY = "query parameters and ids";
    static final String UNKNOWN_ID = "0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d";

    record Case(String name, Supplier<Response> send, String detail) {
    }

    static Case get(String path, String query, String detail) {
        return new Case("GET " + path + (query.isEmpty() ? "" : "?" + query),
                () -> given().urlEncodingEnabled(false).get(path + (query.isEmpty() ? "" : "?" + query)), detail);
    }

    static Case post(String path, String query, String detail) {
        return new Case("POST " + path + (query.isEmpty() ? "" : "?" + query),
                () -> given().urlEncodingEnabled(false).post(path + (query.isEmpty() ? "" : "?" + query)), detail);
    }

    static Case delete(String path, String detail) {
        return new Case("DELETE " + path, () -> given().urlEncodingEnabled(false).delete(path), detail);
    }

    static List<Case> cases(String deadLetterId) {
        return List.of(
                get("/stages", "active=maybe", "query parameter 'active' must be true or false, not 'maybe'"),
                get("/stages", "active=TRUE", "must be true or false"),
                get("/stages", "active=1", "must be true or false"),
                get("/stages", "active=yes", "must be true or false"),
                get("/stages", "active=", "query parameter 'active' is empty"),
                get("/stages", "active=true&active=false", "query parameter 'active' is given 2 times"),
                get("/stages", "source=pipedrive", "query parameter 'source': unknown source 'pipedrive'"),
                get("/stages", "source=", "query parameter 'source' is empty"),
                get("/stages", "activ=true", "query parameter 'activ' is not one this operation takes; it takes [active, source]"),
                get("/stages/changes", "source=hubspot", "unknown source 'hubspot'"),
                get("/stages/changes", "since=2024-01-01", "query parameter 'since' is not one this operation takes"),
                post("/stages/refresh", "source=nowhere", "unknown source 'nowhere'"),
                post("/stages/refresh", "source=superfone&source=telecrm", "is given 2 times"),
                get("/dead-letters", "limit=x", "query parameter 'limit' must be 1 to 1000, not 'x'"),
                get("/dead-letters", "limit=0", "must be 1 to 1000"),
                get("/dead-letters", "limit=-1", "must be 1 to 1000"),
                get("/dead-letters", "limit=1001", "must be 1 to 1000"),
                get("/dead-letters", "limit=1.5", "must be 1 to 1000"),
                get("/dead-letters", "limit=99999999999", "must be 1 to 1000"),
                get("/dead-letters", "limit=", "query parameter 'limit' is empty"),
                get("/dead-letters", "limit=%2010", "must be 1 to 1000"),
                get("/dead-letters", "limit=10&limit=20", "query parameter 'limit' is given 2 times"),
                get("/dead-letters", "after=yesterday", "query parameter 'after' must be an id"),
                get("/dead-letters", "after=..%2F..%2Fetc%2Fpasswd", "query parameter 'after' must be an id"),
                get("/dead-letters", "after=" + UNKNOWN_ID.toUpperCase(), "lower-case UUID"),
                get("/dead-letters", "target=hubspot", "query parameter 'target' must be telecrm, superfone or truto:<account>"),
                get("/dead-letters", "target=truto:", "query parameter 'target' must be"),
                get("/dead-letters", "reason=SOMETIMES", "query parameter 'reason' must be one of"),
                get("/dead-letters", "reason=validation", "must be one of"),
                get("/dead-letters", "page=2", "query parameter 'page' is not one this operation takes"),
                post("/dead-letters/replay", "reason=validation", "query parameter 'reason' must be one of"),
                post("/dead-letters/replay", "target=" + "x".repeat(300), "query parameter 'target' must be"),
                post("/dead-letters/replay", "all=true", "query parameter 'all' is not one this operation takes"),
                get("/dead-letters/not-an-id", "", "path segment id must be an id"),
                get("/dead-letters/" + deadLetterId.toUpperCase(), "", "lower-case UUID"),
                post("/dead-letters/" + deadLetterId + "%20/replay", "", "path segment id must be an id"),
                delete("/dead-letters/" + deadLetterId.substring(1), "path segment id must be an id"),
                delete("/dead-letters/*", "path segment id must be an id"),
                get("/webhooks/events", "phone=%2B0919812345678", "query parameter 'phone' must be a phone number with its country code"),
                get("/webhooks/events", "phone=12345", "query parameter 'phone' must be a phone number with its country code, not '12345'"),
                get("/webhooks/events", "phone=call%20me", "must be a phone number with its country code"),
                get("/webhooks/events", "phone=%2B919812345678&source=hubspot", "query parameter 'source' must be telecrm, superfone or truto:<account>"),
                get("/webhooks/events", "phone=%2B919812345678&limit=501", "query parameter 'limit' must be 1 to 500"),
                get("/webhooks/events", "phone=%2B919812345678&status=ECHO", "query parameter 'status' is not one this operation takes"),
                get("/webhooks/events/not-an-id", "verbose=true", "query parameter 'verbose' is not one this operation takes"),
                get("/leads/not-an-id", "", "path segment id must be an id"),
                get("/leads/..%2F..%2Fetc%2Fpasswd", "", "path segment id must be an id"),
                get("/leads/" + UNKNOWN_ID, "verbose=true", "query parameter 'verbose' is not one this operation takes"),
                // The ETL calls: a bad parameter starts no run (a run would show in /etl/runs; see EtlStoreTest).
                get("/etl/runs", "limit=x", "query parameter 'limit' must be 1 to 1000, not 'x'"),
                get("/etl/runs", "limit=0", "must be 1 to 1000"),
                get("/etl/runs", "limit=", "query parameter 'limit' is empty"),
                get("/etl/runs", "job=nope", "query parameter 'job' must be one of"),
                get("/etl/runs", "jobs=stages", "query parameter 'jobs' is not one this operation takes"),
                post("/etl/jobs/stages/run", "full=maybe", "query parameter 'full' must be true or false, not 'maybe'"),
                post("/etl/jobs/stages/run", "full=1", "must be true or false"),
                post("/etl/jobs/stages/run", "full=true&full=false", "query parameter 'full' is given 2 times"),
                post("/etl/jobs/stages/run", "since=yesterday", "query parameter 'since' is not one this operation takes"));
    }

    @TestFactory
    Stream<DynamicTest> badParametersAreProblems() {
        GoodUpdates.superfoneUp();
        // A dead letter that no bad request may replay or delete.
        String updateId = Leads.submit("{\"target\":\"superfone\",\"phone\":\"+918200000001\",\"stage\":\"No Such Stage\"}");
        Leads.awaitReceipt(updateId, "DEAD_LETTER");
        String deadLetterId = Leads.deadLetterOf(updateId).getString("id");
        Stream<DynamicTest> bad = cases(deadLetterId).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Response answer = c.send().get();
            int status = Tally.refused(FAMILY, c.name(), answer);
            assertThat(answer.asString(), status, is(400));
            assertThat(answer.contentType(), containsString("application/problem+json"));
            assertThat(answer.jsonPath().getString("detail"), containsString(c.detail()));
        }));
        Stream<DynamicTest> kept = Stream.of(DynamicTest.dynamicTest("the dead letter is still there, once, not replayed", () -> {
            List<String> ids = given().queryParam("limit", 1000).get("/dead-letters").then().statusCode(200).extract()
                    .jsonPath().getList("deadLetters.findAll { it.updateId == '" + updateId + "' }.id");
            if (ids.size() != 1) {
                Tally.record(FAMILY, "dead letter " + deadLetterId + " listed " + ids.size() + " times",
                        ids.isEmpty() ? Tally.Outcome.LOST : Tally.Outcome.DUPLICATED);
            }
            assertThat(ids, is(List.of(deadLetterId)));
            assertThat(given().get("/leads/" + updateId).then().statusCode(200).extract().path("status"), is("DEAD_LETTER"));
        }));
        return Stream.concat(bad, kept);
    }
}
