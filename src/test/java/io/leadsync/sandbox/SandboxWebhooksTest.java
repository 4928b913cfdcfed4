package io.leadsync.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.Map;
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
