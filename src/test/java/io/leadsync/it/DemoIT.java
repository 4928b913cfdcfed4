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
