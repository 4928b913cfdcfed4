package io.leadsync.crm.truto;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class TrutoStagesTest {

    static final String PATH = "/truto/unified/crm/stages";

    @BeforeEach
    void reset() {
        wireMock().resetAll();
    }

    /** Answers account's request with the given cursor (null: the first request) with these stage names. */
    static void page(String account, String cursor, String next, String... names) {
        StringValuePattern cursorParam = cursor == null ? absent() : equalTo(cursor);
        String result = Arrays.stream(names).map(n -> """
                {"id":"%s","name":"%s","position":1,"status":"active","pipeline":{"id":"p1","name":"Sales"},
                 "created_at":"2026-01-10T08:00:00.000Z","updated_at":"2026-01-10T08:00:00.000Z","remote_data":{}}"""
                .formatted(n.toLowerCase(), n)).collect(Collectors.joining(","));
        wireMock().stubFor(get(urlPathEqualTo(PATH)).withQueryParam("integrated_account_id", equalTo(account))
                .withQueryParam("next_cursor", cursorParam)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"result":[%s],"next_cursor":%s,"prev_cursor":null,"result_count":%d,"is_partial_response":false}"""
                        .formatted(result, next == null ? "null" : "\"" + next + "\"", names.length))));
    }

    @Test
    void documentedShapeBecomesStages() {
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Fixtures.read("truto-stages.json"))));

        JsonPath status = Polls.refresh("truto:acc-1");
        assertThat(status.getString("status"), is("OK"));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TRUTO_TOKEN))
                .withQueryParam("integrated_account_id", equalTo("acc-1"))
                .withQueryParam("limit", equalTo("2"))
                .withQueryParam("next_cursor", absent()));

        JsonPath stages = Polls.stages("truto:acc-1");
        Map<String, Object> leadIn = new HashMap<>(Map.of("source", "truto:acc-1", "id", "1", "name", "Lead In",
                "pipeline", "1", "position", 1, "active", true));
        leadIn.put("category", null); // Truto has no categories of its own
        assertThat(stages.getMap("stages[0]"), is(leadIn));
        assertThat(stages.getString("stages[1].category"), is("WON")); // "Won:WON" in leadsync.truto.categories
        assertThat(stages.getList("stages.active"), contains(true, true, false));
    }

    @Test
    void cursorsAreFollowedUntilNull() {
        page("acc-1", null, "c1", "A", "B");
        page("acc-1", "c1", "c2", "C", "D");
        page("acc-1", "c2", "c3", "E", "F");
        page("acc-1", "c3", null, "G");

        JsonPath status = Polls.refresh("truto:acc-1");
        assertThat(status.getString("status"), is("OK"));
        assertThat(status.getInt("stageCount"), is(7));
        wireMock().verify(4, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(Polls.stages("truto:acc-1").getList("stages.name"), contains("A", "B", "C", "D", "E", "F", "G"));
    }

    @Test
    void aRepeatedCursorStopsTheWalk() {
        page("acc-1", null, "c1", "A");
        page("acc-1", "c1", "c2", "B");
        page("acc-1", "c2", "c1", "C");

        JsonPath status = Polls.refresh("truto:acc-1");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"), is(
                "Truto stages of account acc-1: the server points back to page c1 after page c2 (repeated page or cursor)"));
        wireMock().verify(3, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void aCursorPointingAtItselfIsNoProgress() {
        page("acc-1", null, "c1", "A");
        page("acc-1", "c1", "c1", "B");
        assertThat(Polls.refresh("truto:acc-1").getString("error"), containsString("points back to page c1 after page c1"));
    }

    @Test
    void emptyCatalogAndEmptyCursor() {
        page("acc-1", null, "", new String[0]);
        JsonPath status = Polls.refresh("truto:acc-1");
        assertThat(status.getString("status"), is("OK"));
        assertThat(status.getInt("stageCount"), is(0));
        assertThat(Polls.stages("truto:acc-1").getList("stages"), empty());
    }

    @Test
    void eachAccountIsASourceOfItsOwn() {
        page("acc-1", null, null, "A");
        wireMock().stubFor(get(urlPathEqualTo(PATH)).withQueryParam("integrated_account_id", equalTo("acc-2"))
                .willReturn(aResponse().withStatus(401).withBody("""
                        {"statusCode":401,"error":"Unauthorized","message":"Integrated account needs reauth",
                         "truto_is_remote_error":true,"raw_response":{}}""")));

        Polls.refresh("truto:acc-1");
        JsonPath failing = Polls.refresh("truto:acc-2");
        assertThat(failing.getString("status"), is("FAILING"));
        assertThat(failing.getString("error"),
                is("HTTP 401: Unauthorized: Integrated account needs reauth (from the integrated CRM)"));

        JsonPath truto = Polls.stages("truto");
        assertThat(truto.getList("sources.source"), contains("truto:acc-1", "truto:acc-2"));
        assertThat(truto.getList("sources.status"), contains("OK", "FAILING"));
        assertThat(Polls.stages("truto:acc-1").getList("stages.name"), contains("A"));
    }

    @Test
    void rateLimitedIsRetried() {
        wireMock().stubFor(get(urlPathEqualTo(PATH)).inScenario("limit").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"statusCode\":429,\"error\":\"Too Many Requests\",\"message\":\"slow down\"}"))
                .willSetStateTo("ok"));
        wireMock().stubFor(get(urlPathEqualTo(PATH)).inScenario("limit").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("truto-stages.json"))));

        assertThat(Polls.refresh("truto:acc-1").getString("status"), is("OK"));
        wireMock().verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void notFoundIsNotRetried() {
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(404)
                .withBody("{\"statusCode\":404,\"error\":\"Not Found\",\"message\":\"Integrated account not found\"}")));
        assertThat(Polls.refresh("truto:acc-1").getString("error"), is("HTTP 404: Not Found: Integrated account not found"));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void cursorsAreUrlEncoded() {
        page("acc-1", null, "a+b/c=", "A");
        page("acc-1", "a+b/c=", null, "B");
        assertThat(Polls.refresh("truto:acc-1").getInt("stageCount"), is(2));
    }
}
