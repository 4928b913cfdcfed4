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
import static org.hamcrest.Matchers.hasItem;
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
    void theSignatureIsTakenInHexOrBase64WithOrWithoutItsFormat() throws Exception {
        String body = trutoLeadUpdated(UUID.randomUUID().toString(), Instant.now(), "acc-1", phone(), "Won");
        String hex = signature(body, Webhooks.TRUTO_SECRET).substring("format=sha256,v=".length());
        String base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        JsonPath first = json(post("/webhooks/truto", body, "x-truto-signature", "format=sha256,v=" + base64), 200);
        assertThat(first.getString("status"), is("STORED"));
        // Truto's other spellings sign the same event: authentic, so each is the same event again.
        for (String header : new String[] { "v=" + base64, "v=" + hex, "format=sha256,v=" + hex }) {
            assertThat(header, json(post("/webhooks/truto", body, "x-truto-signature", header), 200).getString("status"),
                    is("DUPLICATE"));
        }
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
                is("header x-truto-signature must be [format=sha256,]v=<HMAC-SHA256 of the body, hex or base64>"));
        // An unsigned body is never read: not even a malformed one is answered otherwise.
        json(post("/webhooks/truto", "not json", "x-truto-signature", signature(body, Webhooks.TRUTO_SECRET)), 401);
        // None was kept: the event, signed, is new.
        assertThat(json(truto(body), 200).getString("status"), is("STORED"));
    }

    @Test
    void aStaleTrutoEventIsAnsweredButNotStored() {
        String id = UUID.randomUUID().toString();
        String stale = trutoLeadUpdated(id, Instant.now().minus(Duration.ofMinutes(6)), "acc-1", phone(), "Won");
        JsonPath answer = json(truto(stale), 200);
        assertThat(answer.getString("status"), is("IGNORED"));
        assertThat(answer.getString("id"), is((String) null));
        assertThat(answer.getString("reason"), containsString("event " + id + " was created at "));
        assertThat(answer.getString("reason"), containsString("leadsync.webhooks.max-age"));
        String future = trutoLeadUpdated(id, Instant.now().plus(Duration.ofMinutes(6)), "acc-1", phone(), "Won");
        assertThat(json(truto(future), 200).getString("status"), is("IGNORED"));
        // Not kept: the same id, fresh, is new.
        assertThat(json(truto(trutoLeadUpdated(id, Instant.now(), "acc-1", phone(), "Won")), 200).getString("status"),
                is("STORED"));
    }

    /** An IGNORED answer, and the stored event behind it that GET /webhooks/events/{id} shows with the same reason. */
    static String ignoredAndKept(String body) {
        JsonPath answer = json(truto(body), 200);
        assertThat(body, answer.getString("status"), is("IGNORED"));
        JsonPath event = given().get("/webhooks/events/" + answer.getString("id")).then().statusCode(200).extract().jsonPath();
        assertThat(event.getString("status"), is("IGNORED"));
        assertThat(event.getString("outcome"), is(answer.getString("reason")));
        return answer.getString("reason");
    }

    /**
     * Truto retries a refused event and then turns the webhook off, so every authentic event is answered 200. Shapes
     * Truto documents (test, account and sync-job events, event_type, both created_at spellings) and shapes it allows
     * (record payloads are shaped per environment): the record events here are INVENTED, since no vendor example of a
     * crm/leads record event exists.
     */
    @Test
    void everyAuthenticTrutoEventIsAnswered200AndKeptWithItsReason() {
        Instant now = Instant.now();
        // Truto's own test event (its docs' payload).
        assertThat(ignoredAndKept("""
                {"id":"%s","event":"test","payload":{"foo":"bar"},"created_at":"%s"}""".formatted(UUID.randomUUID(), now)),
                containsString("event test is not a lead's change"));
        // The event list page names the field event_type; created_at as "2024-09-10 12:00:00".
        String spaced = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC)
                .format(now);
        assertThat(ignoredAndKept("""
                {"id":"%s","event_type":"integrated_account:active","payload":{"id":"acc-1"},"created_at":"%s"}"""
                .formatted(UUID.randomUUID(), spaced)), containsString("event integrated_account:active is not a lead's change"));
        assertThat(ignoredAndKept("""
                {"id":"%s","event":"sync_job_run:completed","payload":{"id":"run-1"},"created_at":"%s"}"""
                .formatted(UUID.randomUUID(), now)), containsString("is not a lead's change"));
        assertThat(ignoredAndKept("""
                {"id":"%s","payload":{"id":"x"},"created_at":"%s"}""".formatted(UUID.randomUUID(), now)),
                is("the event names no event (nor event_type)"));
        assertThat(ignoredAndKept("""
                {"id":"%s","event":"record:updated","payload":[1,2],"created_at":"%s"}""".formatted(UUID.randomUUID(), now)),
                is("payload is a JSON array, not a JSON object"));
        // INVENTED record events leadsync cannot use.
        assertThat(ignoredAndKept("""
                {"id":"%s","event":"record:deleted","payload":{"integrated_account_id":"acc-1","resource":"crm/leads","id":"L-9"},
                 "created_at":"%s"}""".formatted(UUID.randomUUID(), now)), containsString("event record:deleted is not"));
        assertThat(ignoredAndKept("""
                {"id":"%s","event":"record:updated","payload":{"resource":"crm/leads","id":"L-9"},"created_at":"%s"}"""
                .formatted(UUID.randomUUID(), now)), containsString("names no integrated account"));
        assertThat(ignoredAndKept("""
                {"id":"%s","event":"record:updated","payload":{"integrated_account_id":"acc-1","resource":"crm/leads"},
                 "created_at":"%s"}""".formatted(UUID.randomUUID(), now)), containsString("names no record id"));
        assertThat(ignoredAndKept("""
                {"id":"%s","event":"record:updated","payload":{"integrated_account_id":"acc-1","id":"L-9"},"created_at":"%s"}"""
                .formatted(UUID.randomUUID(), now)), containsString("names no resource"));
        // Fields of a type leadsync does not expect are no refusal: an unreadable created_at is taken as the arrival.
        String event = trutoLeadUpdated(UUID.randomUUID().toString(), now, "acc-1", phone(), "Won");
        String another = trutoLeadUpdated(UUID.randomUUID().toString(), now, "acc-1", phone(), "Won");
        assertThat(json(truto(event.replaceFirst("\"created_at\":\"[^\"]*\"", "\"created_at\":\"yesterday\"")), 200)
                .getString("status"), is("STORED"));
        assertThat(json(truto(another.replaceFirst("\"phone_numbers\":\\[[^]]*]", "\"phone_numbers\":\"+919810000000\"")), 200)
                .getString("status"), is("STORED"));
        // A signed body that is not JSON: answered, and not kept (there is nothing to show).
        JsonPath notJson = json(post("/webhooks/truto", "not json", "x-truto-signature", signature("not json", Webhooks.TRUTO_SECRET)), 200);
        assertThat(notJson.getString("status"), is("IGNORED"));
        assertThat(notJson.getString("id"), is((String) null));
        // The kept ones are listed with every other event, newest first.
        assertThat(given().get("/webhooks/events").then().statusCode(200).extract().jsonPath()
                .getList("events.status"), hasItem("IGNORED"));
    }

    /** INVENTED shapes of a crm/leads record event, each as a Truto payload_transform could make it: all stored. */
    @Test
    void aLeadsRecordEventIsTakenFromWhereverThePayloadCarriesItsAccountAndId() {
        Instant now = Instant.now();
        String[] payloads = {
            // The docs' example shape ({event, resource, id, snapshot}) for crm/leads, the account beside it.
            "{\"event\":\"updated\",\"resource\":\"crm/leads\",\"id\":\"L-41\",\"integrated_account_id\":\"acc-1\",\"snapshot\":{\"status\":\"Won\"}}",
            "{\"resource\":\"crm/leads\",\"resource_id\":\"L-42\",\"integrated_account\":{\"id\":\"acc-1\"}}",
            "{\"resource\":\"crm/leads\",\"record\":{\"id\":\"L-43\",\"integrated_account_id\":\"acc-1\"}}",
        };
        for (int i = 0; i < payloads.length; i++) {
            String body = """
                    {"id":"%s","event":"record:updated","payload":%s,"created_at":"%s"}""".formatted(UUID.randomUUID(), payloads[i], now);
            JsonPath answer = json(truto(body), 200);
            assertThat(body, answer.getString("status"), is("STORED"));
            JsonPath event = given().get("/webhooks/events/" + answer.getString("id")).then().statusCode(200).extract().jsonPath();
            assertThat(event.getString("source"), is("truto:acc-1"));
            assertThat(event.getString("leadId"), is("L-4" + (i + 1)));
        }
        // The account on the envelope (no payload field names it).
        String onEnvelope = """
                {"id":"%s","event":"record:created","integrated_account_id":"acc-1","payload":{"resource":"crm/leads","id":"L-44"},
                 "created_at":"%s"}""".formatted(UUID.randomUUID(), now);
        assertThat(json(truto(onEnvelope), 200).getString("status"), is("STORED"));
    }

    /** RapidBridge's sync_job_run:record ({resource, records, meta}: INVENTED records) is one change per lead. */
    @Test
    void aSyncJobsBatchOfLeadsIsOneEventPerLead() {
        String id = UUID.randomUUID().toString();
        String body = """
                {"id":"%s","event":"sync_job_run:record","created_at":"%s","payload":{"resource":"crm/leads",
                 "records":[{"id":"L-51","status":"Won"},{"id":"L-52"},{"status":"no id"}],
                 "meta":{"integrated_account_id":"acc-1","sync_job_id":"job-1"}}}""".formatted(id, Instant.now());
        JsonPath answer = json(truto(body), 200);
        assertThat(answer.getString("status"), is("STORED"));
        assertThat(answer.getList("events.status"), contains("STORED", "STORED", "IGNORED"));
        JsonPath first = given().get("/webhooks/events/" + answer.getString("events[0].id")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getString("eventId"), is(id + " record L-51"));
        assertThat(first.getString("leadId"), is("L-51"));
        assertThat(answer.getString("events[2].reason"), containsString("names no record id"));
        // Sent again (Truto retrying): every record is the same event again, the one without an id still IGNORED.
        JsonPath again = json(truto(body), 200);
        assertThat(again.getString("status"), is("DUPLICATE"));
        assertThat(again.getList("events.status"), contains("DUPLICATE", "DUPLICATE", "IGNORED"));
        assertThat(again.getList("events.id"), is(answer.getList("events.id")));
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
