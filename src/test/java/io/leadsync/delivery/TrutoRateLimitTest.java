package io.leadsync.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Leads;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Truto's writes stay within its rate limit per integrated account (routes/truto-rate-limit.yaml). The limit is a rate,
 * so the test reads WireMock's arrival times; its own profile makes the period long (4 per 3 s) so that the slack for
 * scheduling on a loaded machine (600 ms, twice the worst jitter seen at load 14) is small beside what it checks.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(TrutoRateLimitTest.SlowPeriod.class)
class TrutoRateLimitTest {

    static final long PERIOD_MS = 3000;

    public static class SlowPeriod implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.truto.rate-limit", "4", "leadsync.truto.rate-period", PERIOD_MS + "ms",
                    "leadsync.data-dir", "target/test-data/rate-" + UUID.randomUUID());
        }
    }

    @Test
    void trutoWritesStayWithinTheRateLimitOfEachAccount() {
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo("/truto/unified/crm/stages"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("truto-stages.json"))));
        given().queryParam("source", "truto").post("/stages/refresh").then().statusCode(200);
        wireMock().stubFor(post(urlPathEqualTo(LeadDeliveryTest.TRUTO))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"L\"}")));
        List<String> phones = IntStream.range(0, 12).mapToObj(i -> "+9198000100" + (10 + i)).toList();
        List<String> ids = phones.stream().map(phone -> Leads.submit("{\"target\":\"truto:acc-1\",\"phone\":\"" + phone + "\"}"))
                .toList();
        ids.forEach(id -> Leads.awaitReceipt(id, "DELIVERED"));

        // Request i comes a period after request i-4 (without the throttle it is ~0 ms).
        List<Long> at = phones.stream().map(phone -> {
            List<LoggedRequest> creates = wireMock().findAll(LeadDeliveryTest.trutoPostsFor(phone));
            assertThat(phone + " created once", creates.size(), is(1));
            return creates.get(0).getLoggedDate().getTime();
        }).sorted().toList();
        for (int i = 4; i < at.size(); i++) {
            assertThat("request " + i + " came " + (at.get(i) - at.get(i - 4)) + " ms after request " + (i - 4),
                    at.get(i) - at.get(i - 4), greaterThanOrEqualTo(PERIOD_MS - 600));
        }
    }
}
