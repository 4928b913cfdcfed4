package io.leadsync.badinput;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.leadsync.testing.Fixtures;

/**
 * The good updates a family sends around its bad inputs, each to Superfone under a phone of its own, and
 * the check that each reached Superfone exactly once: the suite's "lost" and "duplicated".
 */
final class GoodUpdates {

    static final String LEAD = "/superfone/enterprise/api/lead";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String family;
    private final String prefix;
    private final Set<String> phones = new LinkedHashSet<>();

    /** {@code prefix}: 4 digits that make this family's phones its own, e.g. "9181". */
    GoodUpdates(String family, String prefix) {
        this.family = family;
        this.prefix = prefix;
    }

    /** Superfone's stages known and its lead endpoint answering, as a running CRM would. */
    static void superfoneUp() {
        wireMock().resetAll();
        wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("superfone-lead-stages.json"))));
        given().queryParam("source", "superfone").post("/stages/refresh").then().statusCode(200);
        wireMock().stubFor(post(urlPathEqualTo(LEAD)).willReturn(aResponse().withStatus(200)
                .withBody("{\"data\":{\"id\":1},\"message\":\"success\"}")));
    }

    /** A new phone of this family, expected to reach Superfone once. */
    String phone() {
        String phone = "+" + prefix + String.format("%08d", NEXT.incrementAndGet());
        phones.add(phone);
        return phone;
    }

    /** A good update's JSON, with a new expected phone. */
    String json() {
        return "{\"target\":\"superfone\",\"phone\":\"" + phone() + "\",\"stage\":\"Qualified\"}";
    }

    static int deliveries(String phone) {
        return wireMock().findAll(postRequestedFor(urlPathEqualTo(LEAD)).withRequestBody(containing(phone))).size();
    }

    /**
     * Waits until every expected phone has reached Superfone, then tallies each one missing as lost and each
     * one seen more than once as duplicated; returns how many were either.
     */
    int tallyLostAndDuplicated() {
        try {
            Awaitility.await(family + ": every good update delivered").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> phones.stream().allMatch(p -> deliveries(p) >= 1));
        } catch (ConditionTimeoutException e) {
            // tallied below, phone by phone
        }
        int wrong = 0;
        for (String phone : phones) {
            int seen = deliveries(phone);
            if (seen != 1) {
                Tally.record(family, "good update " + phone + " delivered " + seen + " times",
                        seen == 0 ? Tally.Outcome.LOST : Tally.Outcome.DUPLICATED);
                wrong++;
            }
        }
        return wrong;
    }

    int size() {
        return phones.size();
    }
}
