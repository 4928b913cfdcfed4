package io.leadsync.testing;

import static io.leadsync.testing.CrmFakes.wireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;

import io.leadsync.webhooks.PhoneNumbers;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.path.json.JsonPath;

/**
 * The CRMs' side of the webhooks: Superfone's notifications with the shared secret, Truto's events signed as its
 * docs say, sent as raw bytes by a plain HTTP client (no leadsync API key: webhooks have their own credentials).
 */
public final class Webhooks {

    public static final String SUPERFONE_SECRET = "sf-hook-secret-5e1a9c";
    public static final String TRUTO_SECRET = "6e17561c-a20c-44ce-b8b5-caff0bf786fe";
    public static final String API_KEY = "leadsync-key-4b2d";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Webhooks() {
    }

    /** Webhook secrets, an API key for the rest of the API, and the four flows between the webhook CRMs and TeleCRM. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.superfone.webhook-secret", SUPERFONE_SECRET,
                    "leadsync.truto.webhook-secret", TRUTO_SECRET,
                    "leadsync.api-key", API_KEY,
                    "leadsync.sync.flows", "superfone>telecrm, truto:acc-1>telecrm, truto:acc-1>superfone, superfone>truto:acc-1",
                    "leadsync.sync.interval-ms", "100");
        }
    }

    /** Every call of leadsync's own API (not the webhooks, which go through {@link #post}) with the API key. */
    public static void useApiKey() {
        RestAssured.filters(WITH_API_KEY);
    }

    public static void forgetApiKey() {
        RestAssured.replaceFiltersWith(RestAssured.filters().stream().filter(f -> f != WITH_API_KEY).toList());
    }

    private static final Filter WITH_API_KEY = (request, response, context) -> {
        request.header("X-Api-Key", API_KEY);
        return context.next(request, response);
    };

    /** Catalogs in which every flow's stage has a match by name: Qualified and Won in all three CRMs. */
    public static void catalogs() {
        wireMock().stubFor(get(urlPathEqualTo("/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline"))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage")).willReturn(aResponse().withStatus(200)
                .withBody("""
                        {"data":{"rows":[
                          {"id":9,"title":"New Lead","status":"ACTIVE","type":"INITIAL","position":1},
                          {"id":10,"title":"Qualified","status":"ACTIVE","type":"NONE","position":2},
                          {"id":11,"title":"Won","status":"ACTIVE","type":"FINAL_POSITIVE","position":3}],
                         "total_pages":1,"current_page":1,"page_size":50,"total_items":3},"message":"success"}""")));
        wireMock().stubFor(get(urlPathEqualTo("/truto/unified/crm/stages")).willReturn(aResponse().withStatus(200)
                .withBody("""
                        {"result":[
                          {"id":"1","name":"Qualified","position":1,"status":"active","pipeline":{"id":"1"}},
                          {"id":"2","name":"Won","position":2,"status":"active","pipeline":{"id":"1"}}],
                         "next_cursor":null}""")));
        given().post("/stages/refresh").then().statusCode(200);
    }

    /** POST the bytes to leadsync, with these headers (name, value, …); answers status and body. */
    public static HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> superfone(String body) {
        return post("/webhooks/superfone", body, "Content-Type", "application/json", "X-Leadsync-Secret", SUPERFONE_SECRET);
    }

    public static HttpResponse<String> truto(String body) {
        return post("/webhooks/truto", body, "Content-Type", "application/json", "x-truto-signature", signature(body, TRUTO_SECRET));
    }

    /** Truto's header: format=sha256,v=<hex HMAC-SHA256 of the body>. */
    public static String signature(String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "format=sha256,v=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CUSTOMER_CHANGE of lead_stage as Superfone's payload reference gives it. */
    public static String superfoneStageChange(long contactId, String phone, String stage) {
        return """
                {"event":"CUSTOMER_CHANGE","superfone_number":"+918000000003","organization_name":"Acme",
                 "cdr_phone":null,"updated_key":"lead_stage","updated_value":"%3$s",
                 "contact_id":%1$d,"contact_first_name":"Jane","contact_last_name":"Doe",
                 "contact_phones":[{"phone":"%2$s","customer_id":%1$d}],
                 "contact_lead_stage_id":10,"contact_lead_stage_name":"%3$s",
                 "contact_labels":[],"contact_custom_fields":{"budget":"10L"}}""".formatted(contactId, phone, stage);
    }

    /** A record:updated event of a unified CRM lead, created at the given time. */
    public static String trutoLeadUpdated(String id, Instant createdAt, String account, String phone, String status) {
        return """
                {"id":"%s","event":"record:updated","environment_id":"ac15abdc-b38e-47d0-97a2-69194017c177",
                 "webhook_id":"b6d29b9b-3d9d-44fd-aa77-512fd83b28c1","created_at":"%s",
                 "payload":{"integrated_account_id":"%s","resource":"crm/leads",
                   "record":{"id":"L-%s","first_name":"Ravi","status":"%s","phone_numbers":[{"number":"%s"}],
                             "updated_at":"%s"}}}""".formatted(id, createdAt, account, id, status, phone, createdAt);
    }

    /**
     * Superfone (its WireMock) shows the lead with this phone at this stage, as GET enterprise/api/lead?phone= answers:
     * what the sync flows read when they carry a notification of it.
     */
    public static void superfoneShows(String phone, String stage) {
        wireMock().stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead"))
                .withQueryParam("phone", equalTo(phone)).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("""
                                {"data":{"id":%d,"first_name":"Jane","last_name":"Doe","email":["jane.doe@example.com"],
                                 "phones":[{"phone":"%s","customer_id":1}],
                                 "lead_stage":{"id":10,"title":"%s","status":"ACTIVE","type":"NONE","position":2}},
                                 "message":"success"}""".formatted(Math.abs(phone.hashCode()), phone, stage))));
    }

    /** A lead's stage changed in Superfone: it shows the stage, and notifies it (CUSTOMER_CHANGE of lead_stage). */
    public static HttpResponse<String> superfoneChanged(long contactId, String phone, String stage) {
        superfoneShows(PhoneNumbers.e164(phone), stage);
        return superfone(superfoneStageChange(contactId, phone, stage));
    }

    /** Truto's Unified API (its WireMock) answers GET unified/crm/leads/{id} with this lead. */
    public static void trutoShows(String account, String recordId, String phone, String status) {
        wireMock().stubFor(get(urlPathEqualTo("/truto/unified/crm/leads/" + recordId))
                .withQueryParam("integrated_account_id", equalTo(account)).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("""
                                {"id":"%s","first_name":"Ravi","last_name":"Kumar","status":"%s",
                                 "phone_numbers":[{"number":"%s"}],"email_addresses":[{"email":"ravi@example.com"}]}"""
                                .formatted(recordId, status, phone))));
    }

    /** A lead's status changed in Truto: its Unified API shows it, and Truto sends record:updated (record L-{id}). */
    public static HttpResponse<String> trutoChanged(String id, Instant createdAt, String account, String phone, String status) {
        trutoShows(account, "L-" + id, phone, status);
        return truto(trutoLeadUpdated(id, createdAt, account, phone, status));
    }

    /** GET /webhooks/events/{id} once its status is reached. */
    public static JsonPath awaitEvent(String id, String status) {
        JsonPath[] event = new JsonPath[1];
        Awaitility.await("webhook event " + id + " " + status).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    event[0] = given().get("/webhooks/events/" + id).then().statusCode(200).extract().jsonPath();
                    assertThat(event[0].getString("status"), is(status));
                });
        return event[0];
    }
}
