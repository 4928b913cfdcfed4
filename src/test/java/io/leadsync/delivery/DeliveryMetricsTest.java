package io.leadsync.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The delivery metrics an operator graphs (kubernetes/grafana): each outcome counts once, per target. */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
class DeliveryMetricsTest {

    static final String SUPERFONE = "/superfone/enterprise/api/lead";

    @BeforeEach
    void catalogs() {
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("superfone-lead-stages.json"))));
        given().post("/stages/refresh?source=superfone").then().statusCode(200);
    }

    @Test
    void acceptedDeliveredRetriedAndDeadLetteredAreCountedPerTarget() {
        String before = metrics();
        // +919000000001 is delivered at once; ...02 after one 503; ...03 is refused (400); ...04 names no stage.
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).willReturn(aResponse().withStatus(200)
                .withBody("{\"data\":{\"id\":1},\"message\":\"success\"}")));
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).atPriority(1).inScenario("retry").whenScenarioStateIs("Started")
                .withRequestBody(matchingJsonPath("$.customer_phone", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("+919000000002")))
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        wireMock().stubFor(post(urlPathEqualTo(SUPERFONE)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.customer_phone", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("+919000000003")))
                .willReturn(aResponse().withStatus(400).withBody("{\"message\":\"bad phone\"}")));

        Leads.awaitReceipt(Leads.submit(update("+919000000001", "Qualified")), "DELIVERED");
        Leads.awaitReceipt(Leads.submit(update("+919000000002", "Qualified")), "DELIVERED");
        Leads.awaitReceipt(Leads.submit(update("+919000000003", "Qualified")), "DEAD_LETTER");
        Leads.awaitReceipt(Leads.submit(update("+919000000004", "No Such Stage")), "DEAD_LETTER");
        String after = metrics();

        assertThat(delta(before, after, "leadsync_leads_accepted_total{target=\"superfone\"}"), is(4.0));
        assertThat(delta(before, after, "leadsync_leads_delivered_total{target=\"superfone\"}"), is(2.0));
        assertThat(delta(before, after, "leadsync_delivery_retries_total{target=\"superfone\"}"), is(1.0));
        assertThat(delta(before, after, "leadsync_leads_dead_lettered_total{reason=\"REJECTED\",target=\"superfone\"}"),
                is(1.0));
        assertThat(delta(before, after, "leadsync_leads_dead_lettered_total{reason=\"VALIDATION\",target=\"superfone\"}"),
                is(1.0));
        assertThat(delta(before, after, "leadsync_delivery_latency_seconds_count{target=\"superfone\"}"), is(2.0));
        assertThat(after, containsString("leadsync_delivery_latency_seconds_bucket{target=\"superfone\",le=\""));
        // Everything finished: nothing waits in the inbox (the gauge is there, and says 0).
        assertThat(after, containsString("\nleadsync_leads_pending{target=\"superfone\"} 0.0\n"));
        assertThat(after, not(containsString(CrmFakes.SUPERFONE_KEY)));
    }

    private static String update(String phone, String stage) {
        return "{\"target\":\"superfone\",\"phone\":\"" + phone + "\",\"stage\":\"" + stage + "\"}";
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /** A series' value in Prometheus text, 0 when it is not there yet. */
    private static double value(String metrics, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
