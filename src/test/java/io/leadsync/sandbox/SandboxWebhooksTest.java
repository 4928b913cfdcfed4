package io.leadsync.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The demo, end to end: a stage change made in the sandbox Superfone is notified to POST /webhooks/superfone by
 * the fake itself, and the flow superfone>telecrm carries it to the sandbox TeleCRM, which it reads before writing.
 */
@QuarkusTest
@TestProfile(SandboxWebhooksTest.Demo.class)
class SandboxWebhooksTest {

    static final int PORT = 48213;

    /** The demo profile's keys, on a port known before the start (leadsync calls its own sandbox there). */
    public static class Demo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String base = "http://localhost:" + PORT + "/sandbox";
            return Map.ofEntries(Map.entry("quarkus.http.test-port", String.valueOf(PORT)),
                    Map.entry("leadsync.sandbox.enabled", "true"),
                    Map.entry("leadsync.sandbox.superfone-webhooks", "true"),
                    Map.entry("leadsync.telecrm.base-url", base + "/telecrm/autoupdate/v2"),
                    Map.entry("leadsync.telecrm.enterprise-id", "demo"),
                    Map.entry("leadsync.telecrm.token", "sandbox-telecrm-token"),
                    Map.entry("leadsync.superfone.base-url", base + "/superfone"),
                    Map.entry("leadsync.superfone.api-key", "sandbox-superfone-key"),
                    Map.entry("leadsync.superfone.webhook-secret", "sandbox-superfone-webhook-secret"),
                    Map.entry("leadsync.sync.flows", "superfone>telecrm"),
                    Map.entry("leadsync.sync.interval-ms", "100"),
                    Map.entry("leadsync.stages.initial-delay", "1s"));
        }
    }

    @Test
    void aStageChangeInTheSandboxSuperfoneArrivesInTheSandboxTeleCrm() {
        // What a user does in Superfone's UI: move the lead to Qualified (here through the fake's own API).
        given().header("x-api-key", "sandbox-superfone-key").contentType("application/json")
                .body("{\"customer_phone\":\"+919812345678\",\"lead_stage_name\":\"Qualified\","
                        + "\"create_customer_if_customer_phone_not_found\":true}")
                .post("/sandbox/superfone/enterprise/api/lead").then().statusCode(200);

        // The notification comes in, the flow accepts an update for TeleCRM, and lead routing delivers it.
        String teleCrmLead = Awaitility.await("the lead in the sandbox TeleCRM").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> given().header("Authorization", "Bearer sandbox-telecrm-token")
                        .contentType("application/json").body("{\"fields\":{\"phone\":\"+919812345678\"}}")
                        .post("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead/search")
                        .then().extract().jsonPath().getString("data[0].id"), id -> id != null);
        JsonPath lead = given().header("Authorization", "Bearer sandbox-telecrm-token")
                .get("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead/" + teleCrmLead).then().statusCode(200)
                .extract().jsonPath();
        assertThat(lead.getString("fields.status"), is("Qualified"));
    }

    @Test
    void aStageTheSandboxTeleCrmHasAlreadyIsReadNotWritten() {
        // The lead is in TeleCRM already, in TeleCRM's own phone format (no plus), at Won.
        String teleCrmLead = given().header("Authorization", "Bearer sandbox-telecrm-token").contentType("application/json")
                .body("{\"fields\":{\"phone\":\"919812345679\",\"status\":\"Won\"}}")
                .post("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead").then().statusCode(201)
                .extract().jsonPath().getString("lead_id");
        double skipped = skipped();

        // Superfone moves its lead with that phone to Won too: the flow reads TeleCRM's lead and leaves it be.
        given().header("x-api-key", "sandbox-superfone-key").contentType("application/json")
                .body("{\"customer_phone\":\"+919812345679\",\"lead_stage_name\":\"Won\","
                        + "\"create_customer_if_customer_phone_not_found\":true}")
                .post("/sandbox/superfone/enterprise/api/lead").then().statusCode(200);

        Awaitility.await("the skipped update").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> skipped() > skipped);
        JsonPath leads = given().header("Authorization", "Bearer sandbox-telecrm-token").contentType("application/json")
                .body("{\"fields\":{\"phone\":[\"919812345679\",\"+919812345679\"]}}")
                .post("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead/search").then().statusCode(200).extract().jsonPath();
        assertThat(leads.getInt("total_count"), is(1));
        assertThat(leads.getString("data[0].id"), is(teleCrmLead));
    }

    /** The sandbox Superfone's lead with this phone moves to this stage, as a rep would (the fake notifies it). */
    static void superfoneMoves(String phone, String stage, String... nameAndEmail) {
        String profile = nameAndEmail.length == 0 ? "" : ",\"first_name\":\"%s\",\"last_name\":\"%s\",\"email\":[\"%s\"]"
                .formatted((Object[]) nameAndEmail);
        given().header("x-api-key", "sandbox-superfone-key").contentType("application/json")
                .body("{\"customer_phone\":\"" + phone + "\",\"lead_stage_name\":\"" + stage + "\","
                        + "\"create_customer_if_customer_phone_not_found\":true" + profile + "}")
                .post("/sandbox/superfone/enterprise/api/lead").then().statusCode(200);
    }

    /** The sandbox TeleCRM's lead with this phone (its fields), or null while it has none. */
    static JsonPath teleCrmLead(String phone) {
        String id = teleCrmLeadId(phone);
        return id == null ? null : given().header("Authorization", "Bearer sandbox-telecrm-token")
                .get("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead/" + id).then().statusCode(200).extract().jsonPath();
    }

    static String teleCrmLeadId(String phone) {
        return given().header("Authorization", "Bearer sandbox-telecrm-token").contentType("application/json")
                .body("{\"fields\":{\"phone\":\"" + phone + "\"}}")
                .post("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead/search").then().statusCode(200)
                .extract().jsonPath().getString("data[0].id");
    }

    /** The lead's webhook events, newest first. */
    static List<Map<String, Object>> events(String phone) {
        return given().queryParam("phone", phone).queryParam("limit", "500").get("/webhooks/events").then().statusCode(200)
                .extract().jsonPath().getList("events");
    }

    /**
     * Everything leadsync received of the lead is finished: no event PENDING, and every update the events became has
     * its final receipt. Then nothing more will be written to TeleCRM for it.
     */
    static void awaitSettled(String phone, int eventsAtLeast) {
        Awaitility.await("every event of " + phone + " carried and delivered").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    List<Map<String, Object>> events = events(phone);
                    if (events.size() < eventsAtLeast || events.stream().anyMatch(e -> e.get("status").equals("PENDING"))) {
                        return false;
                    }
                    for (Map<String, Object> event : events) {
                        Matcher update = Pattern.compile("lead update (\\S+) for telecrm").matcher(String.valueOf(event.get("outcome")));
                        if (update.find() && given().get("/leads/" + update.group(1)).then().extract().jsonPath()
                                .getString("status").equals("PENDING")) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** The notification Superfone sends for the lead at this stage (as the fake sends it, and as its docs shape it). */
    static String notification(JsonPath superfoneLead, String stage) {
        return """
                {"event":"CUSTOMER_CHANGE","superfone_number":"+918000000000","organization_name":"leadsync sandbox",
                 "cdr_phone":null,"updated_key":"lead_stage","updated_value":"%1$s","contact_id":%2$d,
                 "contact_first_name":null,"contact_last_name":null,
                 "contact_phones":[{"phone":"%3$s","customer_id":%2$d}],"contact_emails":[],
                 "contact_lead_stage_name":"%1$s","contact_labels":[],"contact_custom_fields":{}}"""
                .formatted(stage, superfoneLead.getLong("data.id"), superfoneLead.getString("data.phones[0].phone"));
    }

    static JsonPath superfoneLead(String phone) {
        return given().header("x-api-key", "sandbox-superfone-key").queryParam("phone", phone)
                .get("/sandbox/superfone/enterprise/api/lead").then().statusCode(200).extract().jsonPath();
    }

    static void deliver(String notification) {
        given().header("X-Leadsync-Secret", "sandbox-superfone-webhook-secret").contentType("application/json")
                .body(notification).post("/webhooks/superfone").then().statusCode(200);
    }

    @Test
    void aMisClickCorrectedInSuperfoneReachesTeleCrm() {
        // Won, then Qualified by mistake, then Won again: the last notification is the same body as the first.
        String phone = "+919812345680";
        String[] stages = { "Won", "Qualified", "Won" };
        for (int i = 0; i < stages.length; i++) {
            superfoneMoves(phone, stages[i]);
            awaitSettled(phone, i + 1);
        }
        assertThat(teleCrmLead(phone).getString("fields.status"), is("Won"));
        List<String> statuses = events(phone).stream().map(e -> (String) e.get("status")).toList();
        assertThat(statuses, is(List.of("CARRIED", "CARRIED", "CARRIED")));
    }

    /**
     * Generated traffic, per lead: stage changes made in the sandbox Superfone (each notified by it in order), then
     * the network's share: earlier notifications of the same lead delivered again, late and out of order. Whatever
     * arrives, TeleCRM ends at the stage Superfone shows last. The seed is fixed, so a failure repeats.
     */
    @Test
    void anySequenceOfNotificationsEndsWithTeleCrmAtSuperfonesLastStage() {
        Random random = new Random(20261206);
        List<String> stages = List.of("Qualified", "Won", "Lost");
        for (int lead = 0; lead < 6; lead++) {
            String phone = "+9198123457" + (10 + lead);
            List<String> made = new ArrayList<>();
            int changes = 2 + random.nextInt(4);
            for (int i = 0; i < changes; i++) {
                String last = made.isEmpty() ? null : made.get(made.size() - 1);
                List<String> next = stages.stream().filter(s -> !s.equals(last)).toList();
                made.add(next.get(random.nextInt(next.size())));
                superfoneMoves(phone, made.get(i));
            }
            awaitSettled(phone, changes);
            // Late repeats and swaps of earlier notifications; the last one delivered names a stage that is not the
            // lead's stage now, as a reordering network would leave it.
            JsonPath superfone = superfoneLead(phone);
            String now = made.get(made.size() - 1);
            List<String> late = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                late.add(made.get(random.nextInt(made.size())));
            }
            late.add(made.stream().filter(s -> !s.equals(now)).findFirst().orElseThrow());
            late.forEach(stage -> deliver(notification(superfone, stage)));
            awaitSettled(phone, changes);

            assertThat("lead " + phone + " made " + made + ", then delivered late " + late,
                    teleCrmLead(phone).getString("fields.status"), is(now));
        }
    }

    @Test
    void aNewSuperfoneLeadArrivesInTeleCrmWithItsNameAndAChangeLaterOnlyMovesItsStage() {
        String phone = "+919812345690";
        superfoneMoves(phone, "Qualified", "Asha", "Rao", "asha.rao@example.com");
        awaitSettled(phone, 1);
        JsonPath created = teleCrmLead(phone);
        assertThat(created.getString("fields.name"), is("Asha Rao"));
        assertThat(created.getString("fields.email"), is("asha.rao@example.com"));
        assertThat(created.getString("fields.status"), is("Qualified"));

        // A rep renames the lead in TeleCRM; Superfone's next stage change moves the stage and leaves the name be.
        given().header("Authorization", "Bearer sandbox-telecrm-token").contentType("application/json")
                .body("{\"fields\":{\"name\":\"Asha R. (VIP)\"}}")
                .post("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead/" + teleCrmLeadId(phone))
                .then().statusCode(200);
        superfoneMoves(phone, "Won");
        awaitSettled(phone, 2);
        JsonPath moved = teleCrmLead(phone);
        assertThat(moved.getString("fields.status"), is("Won"));
        assertThat(moved.getString("fields.name"), is("Asha R. (VIP)"));
    }

    static double skipped() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher count = Pattern.compile("^leadsync_leads_skipped_total\\{target=\"telecrm\"} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    @Test
    void aWebhookWithoutItsSecretConfiguredIsRefused() {
        // This demo sets no leadsync.truto.webhook-secret: no Truto event can be authenticated, so none is taken.
        given().header("x-truto-signature", "format=sha256,v=" + "0".repeat(64)).body("{}").post("/webhooks/truto")
                .then().statusCode(503).body("detail", is("webhooks from Truto are not taken: leadsync.truto.webhook-secret"
                        + " is not set, and an event leadsync cannot authenticate is never stored"));
    }
}
