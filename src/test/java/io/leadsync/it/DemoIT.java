package io.leadsync.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/** The README's run command: the packaged jar on the demo profile shows the sandbox's stages of all three CRMs. */
class DemoIT {

    @Test
    void demoProfileServesAllThreeCrmsFromTheSandbox() throws Exception {
        try (ServiceProcess demo = new ServiceProcess("demo").env("QUARKUS_PROFILE", "demo").start()) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonPath stages = demo.api().get("/stages").then().statusCode(200).extract().jsonPath();
                assertThat(stages.getList("sources.source"), contains("telecrm", "superfone", "truto:demo-pipedrive"));
                assertThat(stages.getList("sources.status"), everyItem(is("OK")));
            });
            JsonPath stages = demo.api().get("/stages").then().extract().jsonPath();
            assertThat(stages.getList("sources.stageCount"), contains(6, 8, 7));
            assertThat(stages.getList("stages.name"), hasItems("Qualified", "New Lead", "Lead In"));
            assertThat(stages.getList("lostReasons.name"), hasItems("Price too high", "No Need"));

            // Lead routing on the sandbox: one update per target ends DELIVERED, a bad stage is a dead letter.
            for (String update : new String[] {
                    "{\"target\":\"telecrm\",\"phone\":\"+919999999999\",\"name\":\"Jane Doe\",\"stage\":\"Qualified\"}",
                    "{\"target\":\"superfone\",\"phone\":\"+919999999999\",\"name\":\"Jane Doe\",\"stage\":\"Qualified\"}",
                    "{\"target\":\"truto:demo-pipedrive\",\"phone\":\"+919999999997\",\"name\":\"Jo Doe\",\"stage\":\"Lead In\"}" }) {
                String id = demo.api().contentType("application/json").body(update).post("/leads").then().statusCode(202)
                        .extract().jsonPath().getString("id");
                Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                        demo.api().get("/leads/" + id).then().extract().jsonPath().getString("status"), is("DELIVERED")));
            }
            // The fake Truto signs a record:created webhook for the lead it got; the flow truto:demo-pipedrive>telecrm
            // carries it to TeleCRM, mapped by category (Lead In is OPEN: TeleCRM's first open stage, Fresh).
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events(demo, "+919999999997"),
                    hasItem("truto:demo-pipedrive record:created Lead In CARRIED")));
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    telecrmLead(demo, "+919999999997").getString("fields.status"), is("Fresh")));

            String bad = demo.api().contentType("application/json")
                    .body("{\"target\":\"superfone\",\"phone\":\"+919999999998\",\"stage\":\"Hot\"}")
                    .post("/leads").then().statusCode(202).extract().jsonPath().getString("id");
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    demo.api().get("/leads/" + bad).then().extract().jsonPath().getString("status"), is("DEAD_LETTER")));
            assertThat(demo.api().get("/dead-letters").then().extract().jsonPath().getString("deadLetters[0].error"),
                    containsString("unknown stage 'Hot' for superfone; valid stages: [New Lead, Qualified"));

            assertThat(demo.logText(), not(containsString("sandbox-telecrm-token")));
            assertThat(demo.logText(), not(containsString("sandbox-superfone-key")));
            assertThat(demo.logText(), not(containsString("sandbox-truto-token")));
        }
    }

    /**
     * The README's "Keep two CRMs in step" walkthrough on the demo as shipped: a stage set in the sandbox Superfone
     * reaches the sandbox TeleCRM, one set in the sandbox TeleCRM reaches Superfone, and each CRM's report of what
     * leadsync wrote to it is an echo, carried nowhere.
     */
    @Test
    void aStageChangeIsCarriedBothWaysAndNotBouncedBack() throws Exception {
        String phone = "+919812345678";
        try (ServiceProcess demo = new ServiceProcess("demo-sync").env("QUARKUS_PROFILE", "demo").start()) {
            // TeleCRM's first walk only records what is there: changes count from then on.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> demo.api().get("/q/metrics").asString()
                    .contains("leadsync_telecrm_walks_total{outcome=\"done\",pass=\"full\"}"));

            demo.api().header("x-api-key", "sandbox-superfone-key").contentType("application/json")
                    .body("{\"customer_phone\":\"" + phone + "\",\"lead_stage_name\":\"Qualified\","
                            + "\"create_customer_if_customer_phone_not_found\":true}")
                    .post("/sandbox/superfone/enterprise/api/lead").then().statusCode(200);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(events(demo, phone), contains("telecrm lead created Qualified ECHO", "superfone CUSTOMER_CREATE Qualified CARRIED")));
            JsonPath lead = telecrmLead(demo, phone);
            assertThat(lead.getString("fields.status"), is("Qualified"));

            demo.api().header("Authorization", "Bearer sandbox-telecrm-token").contentType("application/json")
                    .body("{\"fields\":{\"status\":\"Won\"}}")
                    .post("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead/" + lead.getString("id"))
                    .then().statusCode(200);
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(events(demo, phone), contains("superfone CUSTOMER_CHANGE Won ECHO", "telecrm stage changed Won CARRIED",
                            "telecrm lead created Qualified ECHO", "superfone CUSTOMER_CREATE Qualified CARRIED")));
            assertThat(demo.api().header("x-api-key", "sandbox-superfone-key").queryParam("phone", phone)
                    .get("/sandbox/superfone/enterprise/api/lead").then().extract().jsonPath().getString("data.lead_stage.title"), is("Won"));
            assertThat(telecrmLead(demo, phone).getString("fields.status"), is("Won"));

            // A mis-click corrected in Superfone: Qualified, then Won again. That last notification is the body
            // Superfone sent for Won before, and Won is a stage leadsync wrote there: still the rep's change, carried.
            for (String stage : new String[] { "Qualified", "Won" }) {
                demo.api().header("x-api-key", "sandbox-superfone-key").contentType("application/json")
                        .body("{\"customer_phone\":\"" + phone + "\",\"lead_stage_name\":\"" + stage + "\"}")
                        .post("/sandbox/superfone/enterprise/api/lead").then().statusCode(200);
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        telecrmLead(demo, phone).getString("fields.status"), is(stage));
            }
            assertThat(events(demo, phone).stream().filter(e -> e.startsWith("superfone")).toList().subList(0, 2), is(java.util.List.of("superfone CUSTOMER_CHANGE Won CARRIED",
                    "superfone CUSTOMER_CHANGE Qualified CARRIED")));
        }
    }

    /** The lead's webhook events, newest first, each as "source type stage status". */
    private static java.util.List<String> events(ServiceProcess demo, String phone) {
        JsonPath events = demo.api().queryParam("phone", phone).get("/webhooks/events").then().statusCode(200).extract().jsonPath();
        java.util.List<String> shown = new java.util.ArrayList<>();
        for (int i = 0; i < events.getList("events").size(); i++) {
            String event = "events[" + i + "].";
            shown.add(events.getString(event + "source") + " " + events.getString(event + "type") + " "
                    + events.getString(event + "stage") + " " + events.getString(event + "status"));
        }
        return shown;
    }

    private static JsonPath telecrmLead(ServiceProcess demo, String phone) {
        return demo.api().header("Authorization", "Bearer sandbox-telecrm-token").contentType("application/json")
                .body("{\"fields\":{\"phone\":\"" + phone + "\"}}")
                .post("/sandbox/telecrm/autoupdate/v2/enterprise/demo/lead/search").then().statusCode(200)
                .extract().jsonPath().setRootPath("data[0]");
    }

    @Test
    void withNoCrmConfiguredEverySourceIsDisabledAndSaidOnce() throws Exception {
        try (ServiceProcess bare = new ServiceProcess("bare").start()) {
            JsonPath stages = bare.api().get("/stages").then().statusCode(200).extract().jsonPath();
            assertThat(stages.getList("sources.status"), everyItem(is("DISABLED")));
            String log = bare.logText();
            assertThat(log.split("TeleCRM is not enabled", -1).length - 1, is(1));
            assertThat(log.split("Superfone is not enabled", -1).length - 1, is(1));
            assertThat(log.split("Truto is not enabled", -1).length - 1, is(1));
        }
    }
}
