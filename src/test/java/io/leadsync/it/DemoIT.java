package io.leadsync.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
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
                    "{\"target\":\"truto:demo-pipedrive\",\"phone\":\"+919999999999\",\"name\":\"Jane Doe\",\"stage\":\"Lead In\"}" }) {
                String id = demo.api().contentType("application/json").body(update).post("/leads").then().statusCode(202)
                        .extract().jsonPath().getString("id");
                Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                        demo.api().get("/leads/" + id).then().extract().jsonPath().getString("status"), is("DELIVERED")));
            }
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
