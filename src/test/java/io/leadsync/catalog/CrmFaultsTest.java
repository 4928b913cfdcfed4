package io.leadsync.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The faults every CRM can show, against each adapter: the source says why, and the catalog stays. Bad answers and
 * network faults (invalid JSON, dropped connections and more) are the bad-input family io.leadsync.badinput.CrmAnswersTest.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class CrmFaultsTest {

    static final String CRMS = """
            telecrm,      /telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline, telecrm-lead-stage-pipeline.json
            superfone,    /superfone/enterprise/api/lead-stage,                         superfone-lead-stages.json
            truto:acc-1,  /truto/unified/crm/stages,                                    truto-stages.json
            """;

    @BeforeEach
    void reset() {
        wireMock().resetAll();
    }

    /** Polls once successfully, so every fault below must leave this catalog in place. */
    static int goodPoll(String source, String path, String fixture) {
        wireMock().stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(Fixtures.read(fixture))));
        int stages = Polls.refresh(source).getInt("stageCount");
        wireMock().resetAll();
        return stages;
    }

    static void assertFailingButServed(String source, int stages, JsonPath status) {
        assertThat(status.getString("status"), is("FAILING"));
        assertThat(Polls.stages(source).getList("stages").size(), is(stages));
    }

    @ParameterizedTest
    @CsvSource(textBlock = CRMS)
    void serverErrorsAreRetriedThenReported(String source, String path, String fixture) {
        int stages = goodPoll(source, path, fixture);
        wireMock().stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500).withBody("oops")));
        JsonPath status = Polls.refresh(source);
        assertFailingButServed(source, stages, status);
        assertThat(status.getString("error"), is("HTTP 500: oops"));
        wireMock().verify(3, getRequestedFor(urlPathEqualTo(path)));
    }

    @ParameterizedTest
    @CsvSource(textBlock = CRMS)
    void slowerThanTheTimeout(String source, String path, String fixture) {
        int stages = goodPoll(source, path, fixture);
        wireMock().stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withBody(Fixtures.read(fixture)).withFixedDelay(1500)));
        JsonPath status = Polls.refresh(source);
        assertFailingButServed(source, stages, status);
        assertThat(status.getString("error"), containsString("time-out"));
        wireMock().verify(3, getRequestedFor(urlPathEqualTo(path)));
    }

    @ParameterizedTest
    @CsvSource(textBlock = CRMS)
    void credentialsEchoedByACrmAreMasked(String source, String path, String fixture) {
        // Some servers echo the request in their error body; what leadsync shows must not repeat it.
        wireMock().stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(400).withBody(
                "bad request: {{request.headers.Authorization}} {{request.headers.x-api-key}}")
                .withTransformers("response-template")));
        String error = Polls.refresh(source).getString("error");
        assertThat(error, startsWith("HTTP 400: bad request: "));
        assertThat(error, containsString("****"));
        for (String secret : new String[] { CrmFakes.TELECRM_TOKEN, CrmFakes.SUPERFONE_KEY, CrmFakes.TRUTO_TOKEN }) {
            assertThat(error, not(containsString(secret)));
        }
    }
}
