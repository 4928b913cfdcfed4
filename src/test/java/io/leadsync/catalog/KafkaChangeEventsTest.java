package io.leadsync.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.KafkaBroker;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * leadsync.stages.changes-uri=kafka:… against a real (in-process KRaft) broker: every change of a poll
 * is one record on the topic, keyed by source. Then the broker goes away: polls go on, and the events
 * that could not be sent are logged in full and counted.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@WithTestResource(KafkaBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaChangeEventsTest {

    static final String TELECRM = "/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline";

    static void telecrmAnswers(String... openStages) {
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < openStages.length; i++) {
            statuses.append(i == 0 ? "" : ",").append("{\"statusid\":").append(i + 1).append(",\"label\":\"")
                    .append(openStages[i]).append("\"}");
        }
        wireMock().stubFor(get(urlPathEqualTo(TELECRM)).willReturn(aResponse().withStatus(200).withBody(
                "{\"leadStages\":[{\"stageid\":\"open\",\"stageType\":\"OPEN\",\"activeStatuses\":[" + statuses
                        + "],\"archivedStatuses\":[]}],"
                        + "\"activeLeadLostReasons\":[{\"reasonid\":1,\"reasonLabel\":\"Price too high\"}],"
                        + "\"archivedLeadLostReasons\":[]}")));
    }

    @Test
    @Order(1)
    void everyChangeIsOneRecordKeyedBySource() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(KafkaBroker.TOPIC));

            telecrmAnswers("Fresh", "Contacted");
            assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
            // The first poll adds everything: two stages and a lost reason.
            List<ConsumerRecord<String, String>> first = consume(consumer, 3);

            telecrmAnswers("New", "Contacted", "Qualified");
            assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
            List<ConsumerRecord<String, String>> second = consume(consumer, 2);

            List<ConsumerRecord<String, String>> all = new ArrayList<>(first);
            all.addAll(second);
            assertThat(all.stream().map(ConsumerRecord::key).toList(), everyItem(is("telecrm")));
            // One key, one partition: the records are in the order the changes were detected.
            assertThat(all.stream().map(ConsumerRecord::partition).distinct().count(), is(1L));
            assertThat(all.stream().map(r -> r.value()).toList(), everyItem(not(containsString(CrmFakes.TELECRM_TOKEN))));

            List<String> seen = all.stream().map(r -> JsonPath.from(r.value()))
                    .map(e -> e.getString("source") + " " + e.getString("entity") + " " + e.getString("kind") + " "
                            + e.getString("id") + " " + e.getString("name"))
                    .toList();
            assertThat(seen, contains("telecrm STAGE ADDED 1 Fresh", "telecrm STAGE ADDED 2 Contacted",
                    "telecrm LOST_REASON ADDED 1 Price too high",
                    "telecrm STAGE RENAMED 1 New", "telecrm STAGE ADDED 3 Qualified"));
            JsonPath renamed = JsonPath.from(second.get(0).value());
            assertThat(renamed.getString("before.name"), is("Fresh"));
            assertThat(renamed.getString("after.name"), is("New"));
            assertThat(renamed.getString("detectedAt"), containsString("T"));

            // Nothing more: one record per change, and an unchanged poll sends none.
            assertThat(Polls.refresh("telecrm").getString("status"), is("OK"));
            assertThat(consumer.poll(Duration.ofSeconds(2)).count(), is(0));
        }
    }

    @Test
    @Order(2)
    void aBrokerThatIsDownNeitherFailsThePollNorLosesTheEventsWithoutATrace() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(StageChangeEvents.class.getName());
        log.addHandler(capture);
        try {
            double failedBefore = failedEvents();
            KafkaBroker.stopBroker();

            telecrmAnswers("New", "Contacted", "Qualified", "Demo", "Negotiation");
            JsonPath status = Polls.refresh("telecrm");
            assertThat(status.getString("status"), is("OK"));
            assertThat(status.getString("error"), nullValue());
            assertThat(Polls.stages("telecrm").getList("stages.name"), hasItem("Negotiation"));

            // Both events are counted and logged in full; the second was not tried after the first failed.
            assertThat(failedEvents() - failedBefore, is(2.0));
            assertThat(logged.stream().filter(l -> l.startsWith("not sent: ")).toList(), contains(
                    containsString("\"kind\":\"ADDED\",\"id\":\"4\",\"name\":\"Demo\""),
                    containsString("\"kind\":\"ADDED\",\"id\":\"5\",\"name\":\"Negotiation\"")));
            assertThat(logged.get(0), containsString("2 stage change event(s) of telecrm could not be sent"));
            assertThat(String.join("\n", logged), not(containsString(CrmFakes.TELECRM_TOKEN)));
            // The events are still served, and the service stays ready.
            assertThat(given().queryParam("source", "telecrm").get("/stages/changes").then().statusCode(200)
                    .extract().jsonPath().getList("changes.name"), hasItem("Negotiation"));
            given().get("/q/health/ready").then().statusCode(200);
        } finally {
            log.removeHandler(capture);
        }
    }

    static double failedEvents() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("leadsync_stage_change_events_total{outcome=\"failed\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
    }

    /** Reads exactly n records (waiting up to 30 s for them), and fails on fewer. */
    static List<ConsumerRecord<String, String>> consume(KafkaConsumer<String, String> consumer, int n) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < n && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        assertThat(records.size(), is(n));
        return records;
    }
}
