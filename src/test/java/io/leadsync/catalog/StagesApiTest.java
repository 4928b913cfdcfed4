package io.leadsync.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.ChangeEventSink;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class StagesApiTest {

    static final String TELECRM = "/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline";
    static final String SUPERFONE = "/superfone/enterprise/api/lead-stage";
    static final String TRUTO = "/truto/unified/crm/stages";

    @BeforeEach
    void reset() {
        wireMock().resetAll();
    }

    static void telecrmAnswers(String body) {
        wireMock().stubFor(get(urlPathEqualTo(TELECRM)).willReturn(aResponse().withStatus(200).withBody(body)));
    }

    void pollAll() {
        telecrmAnswers(Fixtures.read("telecrm-lead-stage-pipeline.json"));
        wireMock().stubFor(get(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(200)
                .withBody(Fixtures.read("superfone-lead-stages.json"))));
        wireMock().stubFor(get(urlPathEqualTo(TRUTO)).willReturn(aResponse().withStatus(200)
                .withBody(Fixtures.read("truto-stages.json"))));
        given().when().post("/stages/refresh").then().statusCode(200);
    }

    @Test
    void everySourceIsListedWithItsStagesAndStatus() {
        pollAll();
        JsonPath all = given().when().get("/stages").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertThat(all.getList("sources.source"), contains("telecrm", "superfone", "truto:acc-1", "truto:acc-2"));
        assertThat(all.getList("sources.status"), everyItem(is("OK")));
        assertThat(all.getList("sources.stageCount"), contains(5, 2, 3, 3));
        assertThat(all.getList("sources.polledAt"), everyItem(startsWith("20")));
        assertThat(all.getList("stages").size(), is(13));
        assertThat(all.getList("lostReasons.source"), contains("telecrm", "telecrm"));
    }

    @Test
    void filtersBySourceAndActive() {
        pollAll();
        JsonPath truto = given().queryParam("source", "truto").get("/stages").then().statusCode(200).extract().jsonPath();
        assertThat(truto.getList("stages.source"), everyItem(startsWith("truto:")));
        assertThat(truto.getList("sources.source"), contains("truto:acc-1", "truto:acc-2"));
        assertThat(truto.getList("lostReasons"), empty());

        JsonPath inactive = given().queryParam("active", "false").get("/stages").then().statusCode(200).extract().jsonPath();
        assertThat(inactive.getList("stages.name"), contains("Old Stage", "Old Stage"));
        assertThat(inactive.getList("stages.active"), everyItem(is(false)));

        JsonPath oneAccountActive = given().queryParam("source", "truto:acc-2").queryParam("active", "true")
                .get("/stages").then().statusCode(200).extract().jsonPath();
        assertThat(oneAccountActive.getList("stages.name"), contains("Lead In", "Won"));
    }

    @Test
    void badQueriesAreProblemDetails() {
        given().queryParam("active", "yes").get("/stages").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("title", is("Bad Request"))
                .body("detail", is("query parameter 'active' must be true or false, not 'yes'"))
                .body("instance", is("/stages"));
        given().queryParam("source", "hubspot").get("/stages").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", is("query parameter 'source': unknown source 'hubspot'; known sources: "
                        + "[telecrm, superfone, truto:acc-1, truto:acc-2]"));
        given().get("/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("status", is(404));
        given().delete("/stages").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void everyKindOfChangeBecomesAnEvent() {
        telecrmAnswers("""
                {"leadStages":[
                  {"stageid":"open","stageType":"OPEN","activeStatuses":[
                     {"statusid":1,"label":"Fresh"},{"statusid":2,"label":"Contacted"},{"statusid":3,"label":"Qualified"}],
                   "archivedStatuses":[{"statusid":7,"label":"Dormant"}]},
                  {"stageid":"won","stageType":"WON","activeStatuses":[{"statusid":10,"label":"Won"}],"archivedStatuses":[]}],
                 "activeLeadLostReasons":[{"reasonid":1,"reasonLabel":"Price too high"}],"archivedLeadLostReasons":[]}""");
        Polls.refresh("telecrm");
        int before = ChangeEventSink.EVENTS.size();

        telecrmAnswers("""
                {"leadStages":[
                  {"stageid":"open","stageType":"OPEN","activeStatuses":[
                     {"statusid":1,"label":"New"},{"statusid":7,"label":"Dormant"}],
                   "archivedStatuses":[{"statusid":2,"label":"Contacted"}]},
                  {"stageid":"lost","stageType":"LOST","activeStatuses":[{"statusid":10,"label":"Won"}],"archivedStatuses":[]},
                  {"stageid":"won","stageType":"WON","activeStatuses":[{"statusid":11,"label":"Closed"}],"archivedStatuses":[]}],
                 "activeLeadLostReasons":[],"archivedLeadLostReasons":[{"reasonid":1,"reasonLabel":"Price too high"}]}""");
        Polls.refresh("telecrm");

        List<JsonPath> events = ChangeEventSink.EVENTS.subList(before, ChangeEventSink.EVENTS.size()).stream()
                .map(JsonPath::from).toList();
        List<String> seen = events.stream()
                .map(e -> e.getString("entity") + " " + e.getString("kind") + " " + e.getString("id")).toList();
        assertThat(seen, hasItem("STAGE RENAMED 1"));
        assertThat(seen, hasItem("STAGE ARCHIVED 2"));
        assertThat(seen, hasItem("STAGE REMOVED 3"));
        assertThat(seen, hasItem("STAGE REACTIVATED 7"));
        assertThat(seen, hasItem("STAGE CHANGED 10"));
        assertThat(seen, hasItem("STAGE ADDED 11"));
        assertThat(seen, hasItem("LOST_REASON ARCHIVED 1"));

        JsonPath renamed = events.stream().filter(e -> e.getString("kind").equals("RENAMED")).findFirst().orElseThrow();
        assertThat(renamed.getString("before.name"), is("Fresh"));
        assertThat(renamed.getString("after.name"), is("New"));
        assertThat(renamed.getString("source"), is("telecrm"));
        JsonPath moved = events.stream().filter(e -> e.getString("kind").equals("CHANGED") && e.getString("id").equals("10"))
                .findFirst().orElseThrow();
        assertThat(moved.getString("before.category"), is("WON"));
        assertThat(moved.getString("after.category"), is("LOST"));
        JsonPath removed = events.stream().filter(e -> e.getString("kind").equals("REMOVED")).findFirst().orElseThrow();
        assertThat(removed.getString("after"), is((String) null));
        assertThat(removed.getString("before.name"), is("Qualified"));

        // The same events, newest last, in the bounded history.
        List<String> history = given().queryParam("source", "telecrm").get("/stages/changes").then().statusCode(200)
                .extract().jsonPath().getList("changes.kind");
        assertThat(history.subList(history.size() - events.size(), history.size()),
                is(events.stream().map(e -> e.getString("kind")).toList()));

        // Polling the same catalog again changes nothing.
        int after = ChangeEventSink.EVENTS.size();
        Polls.refresh("telecrm");
        assertThat(ChangeEventSink.EVENTS.size(), is(after));
    }

    @Test
    void theLastGoodCatalogIsKeptOnDisk() throws Exception {
        telecrmAnswers(Fixtures.read("telecrm-lead-stage-pipeline.json"));
        Polls.refresh("telecrm");
        Path saved = Path.of(ConfigProvider.getConfig().getValue("leadsync.data-dir", String.class), "catalogs",
                "telecrm.json");
        JsonPath onDisk = JsonPath.from(Files.readString(saved));
        assertThat(onDisk.getString("source"), is("telecrm"));
        assertThat(onDisk.getList("stages.name"), contains("Fresh", "Contacted", "Qualified", "Won", "Lost"));
        assertThat(onDisk.getList("lostReasons.name"), containsInAnyOrder("Price too high", "No Need"));
        assertThat(Files.readString(saved), org.hamcrest.Matchers.not(containsString(CrmFakes.TELECRM_TOKEN)));
    }

    @Test
    void pollsAndCatalogSizesAreMetrics() {
        pollAll();
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(401)));
        Polls.refresh("superfone");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics, containsString("leadsync_stages{source=\"telecrm\"} 5.0"));
        assertThat(metrics, containsString("leadsync_stages{source=\"truto:acc-2\"} 3.0"));
        assertThat(metrics, org.hamcrest.Matchers.matchesPattern(
                "(?s).*leadsync_stage_polls_total\\{outcome=\"failed\",source=\"superfone\"\\} [1-9].*"));
        assertThat(metrics, org.hamcrest.Matchers.matchesPattern(
                "(?s).*leadsync_stage_polls_total\\{outcome=\"ok\",source=\"telecrm\"\\} [1-9].*"));
        for (String secret : new String[] { CrmFakes.TELECRM_TOKEN, CrmFakes.SUPERFONE_KEY, CrmFakes.TRUTO_TOKEN }) {
            assertThat(metrics, org.hamcrest.Matchers.not(containsString(secret)));
        }
    }

    @Test
    void refreshOfAnUnknownSourceIsRefused() {
        given().queryParam("source", "nope").post("/stages/refresh").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("unknown source 'nope'"));
    }
}
