package io.leadsync.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadsync.badinput.Tally;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The data dir fills up while the service runs, on a real file system (a 16 MiB tmpfs mounted on it, filled by a
 * filler file): POST /leads answers 503 problem+json with the reason and Retry-After, readiness says DOWN and why,
 * an intake file dropped meanwhile waits; then the space comes back and the service recovers by itself — no
 * restart. Every update that got a 202 is delivered exactly once, none that got a 503 ever reaches the CRM, and
 * the store passes SQLite's integrity check.
 */
@ExtendWith({ ServiceLogs.class, Tally.class })
class DataDirFaultsIT {

    static final String FAMILY = "data dir faults";
    static final String LEAD = "/superfone/enterprise/api/lead";
    static final String API_KEY = "data-dir-secret-key-5521";

    @Test
    void aFullDataDirAnswers503AndTheServiceRecoversWhenSpaceReturns() throws Exception {
        WireMockServer crm = superfone();
        ServiceProcess service = new ServiceProcess("data-dir-full");
        Path dataDir = service.workDir().resolve("data");
        try (Tmpfs disk = Tmpfs.mount(dataDir, "16m")) {
            try (service) {
                configured(service, crm).env("LEADSYNC_INTAKE_MIN_AGE_MS", "200")
                        .env("LEADSYNC_DELIVERY_CATALOG_WAIT_MS", "200")
                        .start();
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));

                Map<String, String> accepted = new LinkedHashMap<>(); // phone → update id, every 202
                List<String> refused = new ArrayList<>(); // phones of every 503
                int next = 0;
                for (; next < 20; next++) {
                    accepted.put(phone(next), postLead(service, phone(next)).then().statusCode(202).extract().path("id"));
                }
                // An intake file written while there is room, under a hidden name: dropped (renamed) once the disk is full.
                Path intake = Files.createDirectories(dataDir.resolve("intake"));
                StringBuilder lines = new StringBuilder();
                List<String> intakePhones = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    intakePhones.add(phone(900 + i));
                    lines.append("{\"target\":\"superfone\",\"phone\":\"").append(phone(900 + i)).append("\",\"stage\":\"Qualified\"}\n");
                }
                Files.writeString(intake.resolve(".late.jsonl"), lines);

                disk.fill();
                // SQLite may still fit a few commits into log pages it already has: they are accepted, and must be delivered.
                Response full = null;
                while (full == null && next < 2000) {
                    Response answer = postLead(service, phone(next));
                    if (answer.statusCode() == 202) {
                        accepted.put(phone(next), answer.path("id"));
                    } else {
                        full = answer;
                        refused.add(phone(next));
                    }
                    next++;
                }
                assertThat("POST /leads never refused on a full disk", full, notNullValue());
                String reason = expect503(full, "POST /leads on a full data dir");
                assertThat(reason, containsString("disk is full"));
                assertThat(reason, containsString(dataDir.toString()));
                for (int i = 0; i < 3; i++, next++) { // and so on while it is full
                    expect503(postLead(service, phone(next)), "POST /leads again while the data dir is full");
                    refused.add(phone(next));
                }
                Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    Response ready = service.api().get("/q/health/ready");
                    assertThat(ready.statusCode(), is(503));
                    assertThat(ready.asString(), containsString("disk is full"));
                    assertThat(ready.asString(), not(containsString(API_KEY)));
                });
                Tally.record(FAMILY, "readiness while the data dir is full", Tally.Outcome.UNAVAILABLE_503);

                Files.move(intake.resolve(".late.jsonl"), intake.resolve("late.jsonl")); // a rename needs no space

                disk.free();
                Awaitility.await("readiness UP again without a restart").atMost(Duration.ofSeconds(30))
                        .until(() -> service.api().get("/q/health/ready").statusCode() == 200);
                for (int i = 0; i < 5; i++, next++) {
                    accepted.put(phone(next), postLead(service, phone(next)).then().statusCode(202).extract().path("id"));
                }
                Tally.record(FAMILY, "POST /leads once the space is back (no restart)", Tally.Outcome.RECOVERED);
                Awaitility.await("the intake file dropped while full is read").atMost(Duration.ofSeconds(30))
                        .until(() -> files(intake.resolve(".done")).size() == 1);
                assertThat("nothing failed for want of space", files(intake.resolve(".failed")), empty());

                // Every 202 delivered exactly once; the intake lines too; no 503 ever reaches the CRM.
                Map<String, JsonPath> receipts = new HashMap<>();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    for (Map.Entry<String, String> update : accepted.entrySet()) {
                        if (!receipts.containsKey(update.getKey())) {
                            JsonPath receipt = service.api().get("/leads/" + update.getValue()).then().statusCode(200)
                                    .extract().jsonPath();
                            if (receipt.getString("status").equals("DELIVERED")) {
                                receipts.put(update.getKey(), receipt);
                            }
                        }
                    }
                    assertThat(receipts.size(), is(accepted.size()));
                    assertThat(calls(crm).keySet().containsAll(intakePhones), is(true));
                });
                Map<String, Integer> calls = calls(crm);
                for (String phone : accepted.keySet()) {
                    check(calls.get(phone), "update accepted with 202 (" + phone + ")");
                }
                for (String phone : intakePhones) {
                    check(calls.get(phone), "intake line dropped while the data dir was full (" + phone + ")");
                }
                Tally.record(FAMILY, "intake file dropped while the data dir is full", Tally.Outcome.RECOVERED);
                for (String phone : refused) {
                    if (calls.containsKey(phone)) {
                        Tally.record(FAMILY, "update answered 503 that was delivered after all (" + phone + ")",
                                Tally.Outcome.DUPLICATED);
                    }
                    assertThat("an update answered 503 reached the CRM: " + phone, calls.containsKey(phone), is(false));
                }
                assertThat(integrityCheck(dataDir.resolve("store.db")), is("ok"));
                assertThat(service.logText(), not(containsString(API_KEY)));
            }
        } finally {
            crm.stop();
        }
    }

    /**
     * A data dir that is read-only when leadsync starts (the kernel refuses to remount it so under a running one:
     * SQLite holds its files open for writing) and made writable again while it runs: 503 with the reason and
     * readiness DOWN meanwhile, then 202 without a restart; what was accepted before is neither lost nor sent again.
     */
    @Test
    void aReadOnlyDataDirAnswers503AndTheServiceRecoversWhenItIsWritableAgain() throws Exception {
        WireMockServer crm = superfone();
        ServiceProcess service = new ServiceProcess("data-dir-read-only");
        Path dataDir = service.workDir().resolve("data");
        try (Tmpfs disk = Tmpfs.mount(dataDir, "16m")) {
            try (service) {
                configured(service, crm).start();
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));
                Map<String, String> accepted = new LinkedHashMap<>();
                List<String> refused = new ArrayList<>();
                int next = 0;
                for (; next < 10; next++) {
                    accepted.put(phone(next), postLead(service, phone(next)).then().statusCode(202).extract().path("id"));
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> calls(crm).size() == 10);

                service.kill();
                disk.readOnly();
                service.startAlive();
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Response ready = service.api().get("/q/health/ready");
                    assertThat(ready.statusCode(), is(503));
                    assertThat(ready.asString(), containsString("read-only"));
                    assertThat(ready.asString(), not(containsString(API_KEY)));
                });
                Tally.record(FAMILY, "readiness while the data dir is read-only", Tally.Outcome.UNAVAILABLE_503);
                for (int i = 0; i < 3; i++, next++) {
                    String reason = expect503(postLead(service, phone(next)), "POST /leads on a read-only data dir");
                    assertThat(reason, containsString("read-only"));
                    assertThat(reason, containsString(dataDir.toString()));
                    refused.add(phone(next));
                }

                disk.writable();
                Awaitility.await("readiness UP again without a restart").atMost(Duration.ofSeconds(30))
                        .until(() -> service.api().get("/q/health/ready").statusCode() == 200);
                for (int i = 0; i < 5; i++, next++) {
                    accepted.put(phone(next), postLead(service, phone(next)).then().statusCode(202).extract().path("id"));
                }
                Tally.record(FAMILY, "POST /leads once the data dir is writable again (no restart)", Tally.Outcome.RECOVERED);
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    for (String id : accepted.values()) {
                        assertThat(service.api().get("/leads/" + id).then().statusCode(200).extract().path("status"),
                                is("DELIVERED"));
                    }
                });
                Map<String, Integer> calls = calls(crm);
                for (String phone : accepted.keySet()) {
                    check(calls.get(phone), "update accepted with 202 around a read-only data dir (" + phone + ")");
                }
                for (String phone : refused) {
                    assertThat("an update answered 503 reached the CRM: " + phone, calls.containsKey(phone), is(false));
                }
                assertThat(integrityCheck(dataDir.resolve("store.db")), is("ok"));
            }
        } finally {
            crm.stop();
        }
    }

    /** Checks a 503 problem with Retry-After and a reason without secrets; records it; returns the reason. */
    /** A Superfone fake with its stage catalog, answering each lead create with the phone as the lead's id. */
    static WireMockServer superfone() throws java.io.IOException {
        WireMockServer crm = new WireMockServer(WireMockConfiguration.options().dynamicPort().templatingEnabled(true));
        crm.start();
        crm.stubFor(get(urlPathEqualTo("/superfone/enterprise/api/lead-stage")).willReturn(aResponse().withStatus(200)
                .withBody(new String(DataDirFaultsIT.class.getResourceAsStream("/fixtures/superfone-lead-stages.json").readAllBytes(),
                        StandardCharsets.UTF_8))));
        crm.stubFor(post(urlPathEqualTo(LEAD)).willReturn(aResponse().withStatus(200).withTransformers("response-template")
                .withBody("{\"data\":{\"id\":\"{{jsonPath request.body '$.customer_phone'}}\"},\"message\":\"success\"}")));
        return crm;
    }

    /** The service pointed at the fake, claiming often, its lease's heartbeat (the store's probe) every second. */
    static ServiceProcess configured(ServiceProcess service, WireMockServer crm) {
        return service.env("LEADSYNC_SUPERFONE_BASE_URL", "http://localhost:" + crm.port() + "/superfone")
                .env("LEADSYNC_SUPERFONE_API_KEY", API_KEY)
                .env("LEADSYNC_DELIVERY_CLAIM_INTERVAL_MS", "200")
                .env("LEADSYNC_CLUSTER_TAKEOVER", "3s");
    }

    static String expect503(Response answer, String input) {
        if (answer.statusCode() != 503) {
            Tally.record(FAMILY, input, answer.statusCode() >= 500 ? Tally.Outcome.SERVER_ERROR : Tally.Outcome.TAKEN);
        }
        assertThat(input + ": " + answer.asString(), answer.statusCode(), is(503));
        assertThat(answer.contentType(), containsString("application/problem+json"));
        assertThat(answer.header("Retry-After"), notNullValue());
        String reason = answer.jsonPath().getString("detail");
        assertThat(reason, not(containsString(API_KEY)));
        Tally.record(FAMILY, input, Tally.Outcome.UNAVAILABLE_503);
        return reason;
    }

    /** One CRM call per update: once is right, none is lost, twice is a duplicate; each fails the test but one. */
    static void check(Integer calls, String update) {
        if (calls == null || calls != 1) {
            Tally.record(FAMILY, update, calls == null ? Tally.Outcome.LOST : Tally.Outcome.DUPLICATED);
        }
        assertThat(update + ": CRM calls", calls, is(1));
    }

    static Response postLead(ServiceProcess service, String phone) {
        return service.api().contentType("application/json")
                .body("{\"target\":\"superfone\",\"phone\":\"" + phone + "\",\"stage\":\"Qualified\"}").post("/leads");
    }

    static String phone(int i) {
        return "+91800000" + String.format("%04d", i);
    }

    /** Successful upserts per phone. */
    static Map<String, Integer> calls(WireMockServer crm) {
        Map<String, Integer> calls = new HashMap<>();
        for (LoggedRequest call : crm.findAll(postRequestedFor(urlPathEqualTo(LEAD)))) {
            calls.merge(JsonPath.from(call.getBodyAsString()).getString("customer_phone"), 1, Integer::sum);
        }
        return calls;
    }

    static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> !p.getFileName().toString().endsWith(".reason.txt")).toList();
        }
    }

    /** SQLite's own check of every page and index of the store: "ok" when nothing is half-written. */
    static String integrityCheck(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement check = c.createStatement();
                ResultSet row = check.executeQuery("pragma integrity_check")) {
            row.next();
            return row.getString(1);
        }
    }
}
