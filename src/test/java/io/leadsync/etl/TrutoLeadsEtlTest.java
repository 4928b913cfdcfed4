package io.leadsync.etl;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import io.leadsync.testing.CrmFakes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The truto-leads export: every account's leads page by page, one cursor checkpoint per account. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class TrutoLeadsEtlTest {

    static final String LEADS = "/truto/unified/crm/leads";

    @Inject
    EtlJobs jobs;

    @BeforeEach
    void reset() {
        wireMock().resetAll();
    }

    /** A page of the account's leads, asked for with the given cursor (null: none), pointing to the next. */
    static void page(String account, String cursor, String next, String... leads) {
        StringValuePattern asked = cursor == null ? absent() : equalTo(cursor);
        wireMock().stubFor(get(urlPathEqualTo(LEADS)).withQueryParam("integrated_account_id", equalTo(account))
                .withQueryParam("limit", equalTo("2")).withQueryParam("next_cursor", asked)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"result\":[" + String.join(",", leads) + "],\"next_cursor\":"
                                + (next == null ? "null" : "\"" + next + "\"") + ",\"prev_cursor\":null,\"result_count\":"
                                + leads.length + ",\"is_partial_response\":false}")));
    }

    static String lead(String id) {
        return "{\"id\":\"" + id + "\",\"first_name\":\"Ann\",\"last_name\":\"" + id + "\",\"status\":\"Lead In\","
                + "\"email_addresses\":[{\"email\":\"" + id + "@example.com\"}],\"phone_numbers\":[{\"number\":\"+9190"
                + id.hashCode() % 1000 + "\"}],\"lead_source\":\"web\"}";
    }

    static void verifyAsked(String account, String cursor) {
        wireMock().verify(getRequestedFor(urlPathEqualTo(LEADS)).withQueryParam("integrated_account_id", equalTo(account))
                .withQueryParam("next_cursor", cursor == null ? absent() : equalTo(cursor))
                .withHeader("Authorization", equalTo("Bearer " + CrmFakes.TRUTO_TOKEN)));
    }

    @Test
    void everyAccountsLeadsOnceAndEachAccountResumesAtItsLastCursor() throws Exception {
        page("acc-1", null, "c2", lead("a1"), lead("a2"));
        page("acc-1", "c2", null, lead("a3"));
        page("acc-2", null, null, lead("b1"), "\"not a lead\"");

        EtlRun full = jobs.run("truto-leads", "test", true);
        assertThat(full.error(), full.status(), is(EtlRun.Status.SUCCEEDED));
        assertThat(full.records(), is(4L));
        assertThat(full.errors(), is(1L));
        assertThat(full.skipped().get(0), containsString("truto:acc-2 first page lead 2: not a unified lead with an id"));
        List<JsonPath> lines = Files.readAllLines(Path.of(full.files().get(0)), StandardCharsets.UTF_8).stream()
                .map(JsonPath::from).toList();
        assertThat(lines.stream().map(l -> l.getString("source") + "/" + l.getString("leadId")).toList(),
                containsInAnyOrder("truto:acc-1/a1", "truto:acc-1/a2", "truto:acc-1/a3", "truto:acc-2/b1"));
        JsonPath a1 = lines.stream().filter(l -> l.getString("leadId").equals("a1")).findFirst().orElseThrow();
        assertThat(a1.getString("name"), is("Ann a1"));
        assertThat(a1.getString("email"), is("a1@example.com"));
        assertThat(a1.getString("stage"), is("Lead In"));
        assertThat(a1.getString("fields.lead_source"), is("web"));

        // Next run: acc-1 starts at the cursor of its last page; acc-2 ended on its first page, so it starts over.
        wireMock().resetAll();
        page("acc-1", "c2", "c3", lead("a3"), lead("a4"));
        page("acc-1", "c3", null, lead("a5"));
        wireMock().stubFor(get(urlPathEqualTo(LEADS)).withQueryParam("integrated_account_id", equalTo("acc-2"))
                .willReturn(aResponse().withStatus(503).withBody("{\"statusCode\":503,\"error\":\"Service Unavailable\","
                        + "\"message\":\"Account blocked\"}")));
        EtlRun failed = jobs.run("truto-leads", "test");
        assertThat(failed.status(), is(EtlRun.Status.FAILED));
        assertThat(failed.error(), is("HTTP 503: Service Unavailable: Account blocked"));
        verifyAsked("acc-1", "c2");
        verifyAsked("acc-2", null);

        // The failed run reached c3 for acc-1 but did not move the checkpoint.
        wireMock().resetAll();
        page("acc-1", "c2", "c3", lead("a3"), lead("a4"));
        page("acc-1", "c3", null, lead("a5"));
        page("acc-2", null, null, lead("b1"));
        EtlRun incremental = jobs.run("truto-leads", "test");
        assertThat(incremental.error(), incremental.status(), is(EtlRun.Status.SUCCEEDED));
        assertThat(incremental.records(), is(4L));
        verifyAsked("acc-1", "c2");

        wireMock().resetAll();
        page("acc-1", "c3", null, lead("a5"));
        page("acc-2", null, null);
        assertThat(jobs.run("truto-leads", "test").records(), is(1L));
        verifyAsked("acc-1", "c3");

        // full=true reads everything again.
        wireMock().resetAll();
        page("acc-1", null, null, lead("a1"));
        page("acc-2", null, null);
        assertThat(jobs.run("truto-leads", "test", true).records(), is(1L));
        verifyAsked("acc-1", null);
    }
}
