package io.leadsync.crm.superfone;

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
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
class SuperfoneStagesTest {

    static final String PATH = "/superfone/enterprise/api/lead-stage";

    @BeforeEach
    void reset() {
        wireMock().resetAll();
    }

    static void page(int page, int status, String body) {
        wireMock().stubFor(get(urlPathEqualTo(PATH)).withQueryParam("page", equalTo(String.valueOf(page)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** A page as Superfone documents it, its rows given as (id, title, status, type). */
    static String pageOf(int current, int totalPages, int pageSize, int totalItems, String... rows) {
        List<String> json = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split("\\|");
            json.add("""
                    {"id":%s,"org_id":42,"title":"%s","status":"%s","type":"%s","position":%s,"is_editable":true,
                     "identifier":null,"created_by":678,"updated_by":null,
                     "created_at":"2026-01-15T09:00:00.000Z","updated_at":"2026-01-15T09:00:00.000Z"}"""
                    .formatted(f[0], f[1], f[2], f[3], f[0]));
        }
        return """
                {"data":{"rows":[%s],"total_pages":%d,"current_page":%d,"page_size":%d,"total_items":%d},"message":"success"}"""
                .formatted(String.join(",", json), totalPages, current, pageSize, totalItems);
    }

    @Test
    void seedExampleOnOnePage() {
        page(1, 200, Fixtures.read("superfone-lead-stages.json"));

        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("OK"));
        assertThat(status.getInt("stageCount"), is(2));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH))
                .withHeader("x-api-key", equalTo(CrmFakes.SUPERFONE_KEY))
                .withQueryParam("page", equalTo("1")).withQueryParam("page_size", equalTo("50")));

        JsonPath stages = Polls.stages("superfone");
        assertThat(stages.getList("stages.name"), contains("New Lead", "Qualified"));
        assertThat(stages.getList("stages.id"), contains("9", "10"));
        assertThat(stages.getList("stages.category"), contains("OPEN", "OPEN"));
        assertThat(stages.getList("stages.position"), contains(1, 2));
        assertThat(stages.getList("stages.active"), contains(true, true));
        assertThat(stages.getList("lostReasons"), empty());
    }

    @Test
    void serverCappedPageSizeIsWalkedToTheReportedTotal() {
        // Asked for 50 a page; the server gives 2 and says so, over 4 pages.
        page(1, 200, pageOf(1, 4, 2, 7, "1|New|ACTIVE|INITIAL", "2|Call|ACTIVE|NONE"));
        page(2, 200, pageOf(2, 4, 2, 7, "3|Demo|ACTIVE|NONE", "4|Won|ACTIVE|FINAL_POSITIVE"));
        page(3, 200, pageOf(3, 4, 2, 7, "5|Lost|ACTIVE|FINAL_NEGATIVE", "6|Cold|DISABLED|NONE"));
        page(4, 200, pageOf(4, 4, 2, 7, "7|Later|ACTIVE|NONE"));

        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("OK"));
        assertThat(status.getInt("stageCount"), is(7));
        for (int p = 1; p <= 4; p++) {
            wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("page", equalTo(String.valueOf(p))));
        }
        wireMock().verify(4, getRequestedFor(urlPathEqualTo(PATH)));

        JsonPath stages = Polls.stages("superfone");
        assertThat(stages.getList("stages.name"), contains("New", "Call", "Demo", "Won", "Lost", "Cold", "Later"));
        assertThat(stages.getList("stages.category"), contains("OPEN", "OPEN", "OPEN", "WON", "LOST", "OPEN", "OPEN"));
        assertThat(stages.getList("stages.active"), contains(true, true, true, true, true, false, true));
        assertThat(Polls.stages("superfone").getList("stages.pipeline"), hasItem(nullValue()));
    }

    @Test
    void emptyCatalog() {
        page(1, 200, pageOf(1, 0, 50, 0));
        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("OK"));
        assertThat(status.getInt("stageCount"), is(0));
        assertThat(Polls.stages("superfone").getList("stages"), empty());
    }

    @Test
    void aServerThatRepeatsAPageIsStopped() {
        // The server ignores ?page and keeps answering page 1 of 3.
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withBody(pageOf(1, 3, 1, 3, "1|New|ACTIVE|INITIAL"))));
        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"),
                is("Superfone lead stages: page 1 was answered twice (repeated page or cursor)"));
        wireMock().verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void aPageWithoutRowsWhileMoreArePromisedIsNoProgress() {
        page(1, 200, pageOf(1, 3, 1, 3, "1|New|ACTIVE|INITIAL"));
        page(2, 200, pageOf(2, 3, 1, 3));
        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"), containsString("page 2 held no records but the server promised more"));
    }

    @Test
    void aWalkLongerThanTheCapIsStopped() {
        // 1,000,000 pages promised; the test config caps walks at 20 pages.
        wireMock().stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withTransformers("response-template")
                .withBody(pageOf(0, 1_000_000, 1, 1_000_000, "{{request.query.page}}|Stage {{request.query.page}}|ACTIVE|NONE")
                        .replace("\"current_page\":0", "\"current_page\":{{request.query.page}}"))));
        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"),
                is("Superfone lead stages: more than 20 pages; stopped at the cap leadsync.stages.max-pages"));
        wireMock().verify(20, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void sharedTitlesAreFlagged() {
        page(1, 200, pageOf(1, 1, 50, 3, "1|Qualified|ACTIVE|NONE", "2|qualified|ACTIVE|NONE", "3|Won|ACTIVE|FINAL_POSITIVE"));
        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("OK"));
        assertThat(status.getList("warnings"), contains(
                "2 stages share the name 'Qualified' (ids 1, 2): an update naming this stage is ambiguous and a"
                        + " Superfone upsert by it fails"));
    }

    @Test
    void unauthorized() {
        page(1, 401, "{\"message\":\"UnAuthorized, Please Provide Valid API Key\"}");
        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(status.getString("error"), is("HTTP 401: UnAuthorized, Please Provide Valid API Key"));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void aFailedPageIsRetriedWithoutRestartingTheWalk() {
        page(1, 200, pageOf(1, 2, 1, 2, "1|New|ACTIVE|INITIAL"));
        wireMock().stubFor(get(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("2")).inScenario("p2")
                .whenScenarioStateIs("Started").willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
        wireMock().stubFor(get(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("2")).inScenario("p2")
                .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)
                        .withBody(pageOf(2, 2, 1, 2, "2|Won|ACTIVE|FINAL_POSITIVE"))));

        assertThat(Polls.refresh("superfone").getString("status"), is("OK"));
        wireMock().verify(1, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("1")));
        wireMock().verify(2, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("2")));
        assertThat(Polls.stages("superfone").getList("stages.name"), contains("New", "Won"));
    }

    @Test
    void answersMissingTheDocumentedFieldsAreReported() {
        page(1, 200, "{\"data\":{\"rows\":[],\"current_page\":1},\"message\":\"success\"}");
        assertThat(Polls.refresh("superfone").getString("error"),
                is("Superfone lead stages, page 1: 'total_pages' is missing"));
        page(1, 200, "{\"message\":\"success\"}");
        assertThat(Polls.refresh("superfone").getString("error"),
                is("Superfone lead stages, page 1: 'data' is missing or not an object"));
        page(1, 200, "{\"data\":{\"rows\":{},\"total_pages\":1},\"message\":\"success\"}");
        assertThat(Polls.refresh("superfone").getString("error"),
                is("Superfone lead stages, page 1: 'rows' is not an array"));
    }

    @Test
    void rowsWithoutIdOrTitleAreSkippedWithAWarning() {
        String rows = IntStream.rangeClosed(1, 3).mapToObj(i -> i + "|S" + i + "|ACTIVE|NONE").collect(Collectors.joining(","));
        page(1, 200, pageOf(1, 1, 50, 3, rows.split(",")).replace("\"title\":\"S2\",", ""));
        JsonPath status = Polls.refresh("superfone");
        assertThat(status.getString("status"), is("OK"));
        assertThat(status.getInt("stageCount"), is(2));
        assertThat(status.getString("warnings[0]"), containsString("skipped a Superfone stage without id or title"));
    }
}
