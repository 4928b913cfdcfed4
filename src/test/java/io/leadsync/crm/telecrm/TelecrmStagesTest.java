package io.leadsync.crm.telecrm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class TelecrmStagesTest {

    static final String PATH = "/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline";

    @BeforeEach
    void reset() {
        wireMock().resetAll();
    }

    void answer(int status, String body) {
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(
                aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void seedPipelineBecomesStagesAndLostReasons() {
        answer(200, Fixtures.read("telecrm-lead-stage-pipeline.json"));

        JsonPath status = Polls.refresh("telecrm");
        assertThat(status.getString("status"), is("OK"));
        assertThat(status.getInt("stageCount"), is(5));
        assertThat(status.getString("error"), nullValue());

        wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TELECRM_TOKEN)));

        JsonPath stages = Polls.stages("telecrm");
        assertThat(stages.getList("stages.name"), contains("Fresh", "Contacted", "Qualified", "Won", "Lost"));
        assertThat(stages.getMap("stages[2]"), equalTo(Map.of("source", "telecrm", "id", "3", "name", "Qualified",
                "pipeline", "stage_open_1", "category", "OPEN", "position", 3, "active", true)));
        assertThat(stages.getList("stages.category"), contains("OPEN", "OPEN", "OPEN", "WON", "LOST"));
        assertThat(stages.getList("lostReasons"), equalTo(List.of(
                Map.of("source", "telecrm", "id", "1", "name", "Price too high", "active", true),
                Map.of("source", "telecrm", "id", "2", "name", "No Need", "active", true))));
    }

    @Test
    void archivedStatusesAndReasonsAreInactive() {
        answer(200, """
                {"leadStages":[{"stageid":"s1","stageType":"OPEN","visibility":true,
                  "activeStatuses":[{"statusid":1,"label":"Fresh","color":"#fff"}],
                  "archivedStatuses":[{"statusid":7,"label":"Old","color":"#000"}]}],
                 "activeLeadLostReasons":[],
                 "archivedLeadLostReasons":[{"reasonid":9,"reasonLabel":"Gone","isDefault":false}]}""");

        assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
        JsonPath stages = Polls.stages("telecrm");
        assertThat(stages.getList("stages.active"), contains(true, false));
        assertThat(stages.getString("stages[1].name"), is("Old"));
        assertThat(stages.getList("lostReasons.active"), contains(false));
        assertThat(Polls.stages("telecrm").getList("stages.id"), contains("1", "7"));
    }

    @Test
    void alternativeTopLevelShapeIsRead() {
        answer(200, """
                {"statuses":[{"statusid":1,"label":"Fresh","stageType":"OPEN","stageid":"s1"},
                             {"statusid":5,"label":"Closed","stageType":"WON","stageid":"s2"},
                             {"statusid":6,"label":"Retired","stageType":"LOST","archived":true}],
                 "lostReasons":[{"reasonid":1,"reasonLabel":"Budget"}]}""");

        assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
        JsonPath stages = Polls.stages("telecrm");
        assertThat(stages.getList("stages.name"), contains("Fresh", "Closed", "Retired"));
        assertThat(stages.getList("stages.category"), contains("OPEN", "WON", "LOST"));
        assertThat(stages.getList("stages.active"), contains(true, true, false));
        assertThat(stages.getList("lostReasons.name"), contains("Budget"));
    }

    @Test
    void unauthorizedMarksFailingAndKeepsTheLastGoodCatalog() {
        answer(200, Fixtures.read("telecrm-lead-stage-pipeline.json"));
        Polls.refresh("telecrm");

        answer(401, "{\"error\":{\"code\":\"NOT_AUTHORIZED\",\"message\":\"Invalid token\"}}");
        JsonPath status = Polls.refresh("telecrm");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"), is("HTTP 401: NOT_AUTHORIZED Invalid token"));
        assertThat(status.getString("error"), not(containsString(CrmFakes.TELECRM_TOKEN)));
        wireMock().verify(2, getRequestedFor(urlPathEqualTo(PATH))); // 401 is not retried
        assertThat(Polls.stages("telecrm").getList("stages").size(), is(5));

        answer(200, Fixtures.read("telecrm-lead-stage-pipeline.json"));
        JsonPath recovered = Polls.refresh("telecrm");
        assertThat(recovered.getString("status"), is("OK"));
        assertThat(recovered.getString("error"), nullValue());
    }

    @Test
    void unknownEnterpriseIsReported() {
        answer(404, "{\"error\":{\"code\":\"ENTERPRISE_NOT_FOUND\",\"message\":\"The enterprise with ID ent-1 was not found.\"}}");
        JsonPath status = Polls.refresh("telecrm");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"),
                is("HTTP 404: ENTERPRISE_NOT_FOUND The enterprise with ID ent-1 was not found."));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void serverErrorsAreRetriedThenReported() {
        answer(503, "<html>Service Unavailable</html>");
        JsonPath status = Polls.refresh("telecrm");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"), is("HTTP 503: <html>Service Unavailable</html>"));
        wireMock().verify(3, getRequestedFor(urlPathEqualTo(PATH))); // first try + 2 redeliveries
    }

    @Test
    void aServerErrorThatClearsWithinTheRetriesIsNoFailure() {
        wireMock().stubFor(get(urlPathEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("recovered"));
        wireMock().stubFor(get(urlPathEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));

        assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
        wireMock().verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void malformedJsonIsReported() {
        answer(200, "{\"leadStages\": [ {\"stageid\": ");
        JsonPath status = Polls.refresh("telecrm");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"), containsString("invalid JSON"));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH))); // bad JSON is not retried
    }

    @Test
    void unexpectedShapeIsReported() {
        answer(200, "{\"leadStages\": {\"not\": \"an array\"}}");
        assertThat(Polls.refresh("telecrm").getString("error"),
                is("TeleCRM lead-stage pipeline: 'leadStages' is not an array"));
        answer(200, "[]");
        assertThat(Polls.refresh("telecrm").getString("error"),
                is("TeleCRM lead-stage pipeline: expected a JSON object"));
        answer(200, "{\"something\": 1}");
        assertThat(Polls.refresh("telecrm").getString("error"),
                is("TeleCRM lead-stage pipeline: neither 'leadStages' nor 'statuses' in the answer"));
    }

    @Test
    void answerSlowerThanTheTimeoutIsReported() {
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withFixedDelay(1500).withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        JsonPath status = Polls.refresh("telecrm");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"), containsString("time-out"));
    }
}
