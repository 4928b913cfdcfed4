package io.leadsync.webhooks;

import static io.leadsync.testing.Webhooks.post;
import static io.leadsync.testing.Webhooks.signature;
import static io.leadsync.testing.Webhooks.superfone;
import static io.leadsync.testing.Webhooks.superfoneStageChange;
import static io.leadsync.testing.Webhooks.truto;
import static io.leadsync.testing.Webhooks.trutoLeadUpdated;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Webhooks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The webhooks in: authenticated before anything is read into the store, stored once, and every payload that is not
 * the CRM's documented shape refused with the field named. An event's row is read back through GET /webhooks/events.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(Webhooks.Profile.class)
class WebhooksTest {

    @BeforeAll
    static void apiKey() {
        Webhooks.useApiKey();
    }

    @AfterAll
    static void noApiKey() {
        Webhooks.forgetApiKey();
    }

    static JsonPath json(HttpResponse<String> answer, int status) {
        assertThat(answer.body(), answer.statusCode(), is(status));
        return JsonPath.from(answer.body());
    }

    static String phone() {
        return "+9198" + (10_000_000 + (long) (Math.random() * 89_999_999));
    }

    @Test
    void aSuperfoneStageChangeWithTheSecretIsStoredOnceAsSent() {
        String body = superfoneStageChange(4101, "+91 98100-41010", "Qualified");
        JsonPath first = json(superfone(body), 200);
        assertThat(first.getString("status"), is("STORED"));

        JsonPath event = given().get("/webhooks/events/" + first.getString("id")).then().statusCode(200).extract().jsonPath();
        assertThat(event.getString("source"), is("superfone"));
        assertThat(event.getString("type"), is("CUSTOMER_CHANGE"));
        assertThat(event.getString("phone"), is("+919810041010"));
        assertThat(event.getString("stage"), is("Qualified"));
        assertThat(event.getString("body"), is(body));

        // Superfone retrying the same notification: one event.
        JsonPath again = json(superfone(body), 200);
        assertThat(again.getString("status"), is("DUPLICATE"));
        assertThat(again.getString("id"), is(first.getString("id")));
    }

    @Test
    void aLeadsEventsAreListedNewestFirstByPhoneInAnyFormat() {
        String phone = phone();
        String teleCrmFormat = phone.substring(1);
        String first = json(superfone(superfoneStageChange(4110, phone, "Qualified")), 200).getString("id");
        String second = json(truto(trutoLeadUpdated(UUID.randomUUID().toString(), Instant.now(), "acc-1", teleCrmFormat, "Won")), 200)
                .getString("id");
        String third = json(superfone(superfoneStageChange(4110, phone, "Won")), 200).getString("id");
        json(superfone(superfoneStageChange(4111, phone(), "Won")), 200); // another lead

        JsonPath all = given().queryParam("phone", teleCrmFormat).get("/webhooks/events").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("events.id"), contains(third, second, first));
        assertThat(all.getList("events.source"), contains("superfone", "truto:acc-1", "superfone"));
        assertThat(given().queryParam("phone", phone).queryParam("source", "superfone").get("/webhooks/events")
                .then().statusCode(200).extract().jsonPath().getList("events.id"), contains(third, first));
        assertThat(given().queryParam("phone", phone).queryParam("limit", "1").get("/webhooks/events")
                .then().statusCode(200).extract().jsonPath().getList("events.id"), contains(third));
        assertThat(given().queryParam("phone", "+919999900000").get("/webhooks/events")
                .then().statusCode(200).extract().jsonPath().getList("events"), empty());
    }

    @Test
    void aMissingOrWrongSecretIs401AndNothingIsStored() {
        String body = superfoneStageChange(4102, phone(), "Qualified");
        HttpResponse<String> missing = post("/webhooks/superfone", body, "Content-Type", "application/json");
        assertThat(json(missing, 401).getString("detail"), is("header X-Leadsync-Secret is required"));
        HttpResponse<String> wrong = post("/webhooks/superfone", body, "X-Leadsync-Secret", Webhooks.SUPERFONE_SECRET + "x");
        assertThat(json(wrong, 401).getString("detail"), is("header X-Leadsync-Secret does not match leadsync.superfone.webhook-secret"));
        HttpResponse<String> twice = post("/webhooks/superfone", body, "X-Leadsync-Secret", Webhooks.SUPERFONE_SECRET,
                "X-Leadsync-Secret", Webhooks.SUPERFONE_SECRET);
        json(twice, 401);
        assertThat(wrong.body(), not(containsString(Webhooks.SUPERFONE_SECRET)));
        // Neither was kept: the same body, authenticated, is new.
        assertThat(json(superfone(body), 200).getString("status"), is("STORED"));
    }

    @Test
    void aSignedTrutoEventIsStoredOnceAndItsReplayIgnored() {
        String id = UUID.randomUUID().toString();
        String body = trutoLeadUpdated(id, Instant.now(), "acc-1", "919810041020", "Won");
        JsonPath first = json(truto(body), 200);
        assertThat(first.getString("status"), is("STORED"));
        JsonPath event = given().get("/webhooks/events/" + first.getString("id")).then().statusCode(200).extract().jsonPath();
        assertThat(event.getString("source"), is("truto:acc-1"));
        assertThat(event.getString("eventId"), is(id));
        assertThat(event.getString("phone"), is("+919810041020"));
        assertThat(event.getString("stage"), is("Won"));

        // The same event id again (Truto retrying, or someone replaying it): stored once.
        JsonPath replayed = json(truto(body), 200);
        assertThat(replayed.getString("status"), is("DUPLICATE"));
        assertThat(replayed.getString("id"), is(first.getString("id")));
    }

    @Test
    void theSignatureIsTakenInHexOrBase64() throws Exception {
        String body = trutoLeadUpdated(UUID.randomUUID().toString(), Instant.now(), "acc-1", phone(), "Won");
        byte[] mac = HexFormat.of().parseHex(signature(body, Webhooks.TRUTO_SECRET).substring("format=sha256,v=".length()));
        HttpResponse<String> base64 = post("/webhooks/truto", body, "x-truto-signature",
                "format=sha256,v=" + Base64.getEncoder().encodeToString(mac));
        assertThat(json(base64, 200).getString("status"), is("STORED"));
    }

    @Test
    void aMissingWrongOrMalformedSignatureIs401AndNothingIsStored() {
        String body = trutoLeadUpdated(UUID.randomUUID().toString(), Instant.now(), "acc-1", phone(), "Won");
        assertThat(json(post("/webhooks/truto", body), 401).getString("detail"), is("header x-truto-signature is required"));
        assertThat(json(post("/webhooks/truto", body, "x-truto-signature", signature(body, "another-secret")), 401)
                .getString("detail"), is("header x-truto-signature does not sign this body with leadsync.truto.webhook-secret"));
        String tampered = body.replace("\"Won\"", "\"Qualified\"");
        json(post("/webhooks/truto", tampered, "x-truto-signature", signature(body, Webhooks.TRUTO_SECRET)), 401);
        assertThat(json(post("/webhooks/truto", body, "x-truto-signature", "sha256=abc"), 401).getString("detail"),
                is("header x-truto-signature must be format=sha256,v=<HMAC-SHA256 of the body, hex>"));
        // An unsigned body is never read: not even a malformed one is answered 400.
        json(post("/webhooks/truto", "not json", "x-truto-signature", signature(body, Webhooks.TRUTO_SECRET)), 401);
        // None was kept: the event, signed, is new.
        assertThat(json(truto(body), 200).getString("status"), is("STORED"));
    }

    @Test
    void aStaleTrutoEventIsRefusedAndNotStored() {
        String id = UUID.randomUUID().toString();
        String stale = trutoLeadUpdated(id, Instant.now().minus(Duration.ofMinutes(6)), "acc-1", phone(), "Won");
        String detail = json(truto(stale), 400).getString("detail");
        assertThat(detail, containsString("event " + id + " was created at "));
        assertThat(detail, containsString("leadsync.webhooks.max-age"));
        String future = trutoLeadUpdated(id, Instant.now().plus(Duration.ofMinutes(6)), "acc-1", phone(), "Won");
        json(truto(future), 400);
        // Not kept: the same id, fresh, is new.
        assertThat(json(truto(trutoLeadUpdated(id, Instant.now(), "acc-1", phone(), "Won")), 200).getString("status"),
                is("STORED"));
    }

    @Test
    void badPayloadsAre400NamingTheField() {
        assertThat(json(superfone(""), 400).getString("detail"), is("body is empty: send the CRM's event as JSON"));
        assertThat(json(superfone("{\"event\":"), 400).getString("detail"), containsString("body is not valid JSON"));
        assertThat(json(superfone("[]"), 400).getString("detail"), is("body: body must be a JSON object, not a JSON array"));
        assertThat(json(superfone("{\"event\":\"CUSTOMER_CHANGE\",\"event\":\"CUSTOMER_CREATE\"}"), 400).getString("detail"),
                containsString("Duplicate field 'event'"));
        assertThat(json(superfone("{\"event\":42}"), 400).getString("detail"),
                is("body: event must be a non-empty string of at most 1000 characters, not number 42"));
        String good = superfoneStageChange(4103, phone(), "Qualified");
        assertThat(json(superfone(good.replace("\"contact_id\":4103", "\"contact_id\":\"4103\"")), 400).getString("detail"),
                is("body: contact_id must be a number (the lead's id), not string \"4103\""));
        assertThat(json(superfone(good.replaceFirst("\"contact_phones\":\\[[^]]*]", "\"contact_phones\":[]")), 400)
                .getString("detail"), is("body: contact_phones must be a non-empty array of {phone, customer_id}, not a JSON array"));
        assertThat(json(superfone(good.replaceFirst("\"phone\":\"[^\"]*\"", "\"phone\":\"call me\"")), 400).getString("detail"),
                is("body: contact_phones[0].phone must be a phone number with its country code, not 'call me'"));
        assertThat(json(superfone(good.replace("\"updated_key\":\"lead_stage\"", "\"updated_key\":null")), 400)
                .getString("detail"), containsString("updated_key must say which field of the lead changed"));

        String event = trutoLeadUpdated(UUID.randomUUID().toString(), Instant.now(), "acc-1", phone(), "Won");
        assertThat(json(truto(event.replaceFirst("\"created_at\":\"[^\"]*\"", "\"created_at\":\"yesterday\"")), 400)
                .getString("detail"), is("body: created_at must be a time like 2024-09-10T12:00:00.000Z, not 'yesterday'"));
        assertThat(json(truto(event.replaceFirst("\"id\":\"[^\"]*\",", "")), 400).getString("detail"),
                is("body: id must be a non-empty string, not missing"));
        assertThat(json(truto(event.replaceFirst("\"phone_numbers\":\\[[^]]*]", "\"phone_numbers\":\"+919810000000\"")), 400)
                .getString("detail"), containsString("body: payload.record.phone_numbers must be an array of {number}"));
        assertThat(json(truto(event.replace("\"record\":{", "\"record\":[{").replace("}}}", "}]}}")), 400).getString("detail"),
                is("body: payload.record must be a JSON object, not a JSON array"));
    }

    @Test
    void eventsThatAreNoStageChangeAreAnsweredAndNotStored() {
        JsonPath call = json(superfone("{\"event\":\"ALL_CALLS\",\"superfone_number\":\"+918000000003\"}"), 200);
        assertThat(call.getString("status"), is("IGNORED"));
        assertThat(call.getString("id"), is((String) null));
        String nameChange = superfoneStageChange(4104, phone(), "Qualified").replace("\"updated_key\":\"lead_stage\"",
                "\"updated_key\":\"first_name\"");
        assertThat(json(superfone(nameChange), 200).getString("reason"), is("CUSTOMER_CHANGE of first_name is not a stage change"));
        String account = """
                {"id":"%s","event":"integrated_account:created","payload":{"id":"acc-9"},"created_at":"%s"}"""
                .formatted(UUID.randomUUID(), Instant.now());
        assertThat(json(truto(account), 200).getString("status"), is("IGNORED"));
        String contact = trutoLeadUpdated(UUID.randomUUID().toString(), Instant.now(), "acc-1", phone(), "Won")
                .replace("crm/leads", "crm/contacts");
        assertThat(json(truto(contact), 200).getString("reason"), is("resource crm/contacts is not crm/leads"));
        String otherAccount = trutoLeadUpdated(UUID.randomUUID().toString(), Instant.now(), "acc-7", phone(), "Won");
        assertThat(json(truto(otherAccount), 200).getString("status"), is("IGNORED"));
    }

    @Test
    void theWebhooksNeedNoApiKeyButTheRestOfTheApiDoes() {
        // Every webhook above went without X-Api-Key; leadsync's own API still refuses a call without it.
        assertThat(json(post("/leads", "{}", "Content-Type", "application/json"), 401).getString("detail"),
                is("header X-Api-Key is required"));
    }
}
