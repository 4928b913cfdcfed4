package io.leadsync.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadsync.badinput.Tally;
import io.restassured.path.json.JsonPath;

/**
 * {@code kill -9} in the middle of work that spans many writes, then a restart over the same data dir: an ETL export
 * leaves no partial export and its checkpoint unchanged, and is listed as FAILED (interrupted); a dead-letter replay
 * leaves each letter replayed once or still listed — none lost, none delivered twice.
 */
@ExtendWith({ ServiceLogs.class, Tally.class })
class KillNineIT {

    static final String FAMILY = "kill -9";

    static final String SEARCH = "/autoupdate/v2/enterprise/ent-5/lead/search";
    static final int PAGES = 16;
    static final int PAGE = 100;

    @Test
    void killDuringAnEtlExportLeavesNoPartialFileAndTheCheckpointUnchanged() throws Exception {
        int killOnPage = PAGES / 2; // mid-export: files half-written, the checkpoint not yet moved
        WireMockServer telecrm = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        telecrm.start();
        try (ServiceProcess service = new ServiceProcess("kill-etl-" + killOnPage)
                .env("LEADSYNC_TELECRM_BASE_URL", "http://localhost:" + telecrm.port() + "/autoupdate/v2")
                .env("LEADSYNC_TELECRM_ENTERPRISE_ID", "ent-5")
                .env("LEADSYNC_TELECRM_TOKEN", "kill-etl-token-3141")
                .env("LEADSYNC_ETL_TELECRM_LEADS_CRON", "off")
                .env("LEADSYNC_ETL_STAGES_CRON", "off")) {
            telecrm.stubFor(get(urlPathEqualTo("/autoupdate/v2/enterprise/ent-5/lead-stage-pipeline")).willReturn(aResponse()
                    .withStatus(200).withBody(new String(getClass().getResourceAsStream("/fixtures/telecrm-lead-stage-pipeline.json")
                            .readAllBytes(), StandardCharsets.UTF_8))));
            for (int page = 0; page < PAGES; page++) { // 1600 leads, each page a while: a run takes seconds
                StringBuilder rows = new StringBuilder();
                for (int i = page * PAGE; i < (page + 1) * PAGE; i++) {
                    rows.append(rows.isEmpty() ? "" : ",").append("{\"id\":\"L").append(i).append("\",\"fields\":{\"name\":\"Lead ")
                            .append(i).append("\",\"phone\":\"+91").append(9000000000L + i).append("\",\"status\":\"Fresh\",")
                            .append("\"created_on\":").append(1_700_000_000_000L + i).append("}}");
                }
                telecrm.stubFor(post(urlPathEqualTo(SEARCH)).withQueryParam("skip", equalTo(String.valueOf(page * PAGE)))
                        .willReturn(aResponse().withStatus(200).withFixedDelay(300)
                                .withBody("{\"data\":[" + rows + "],\"total_count\":" + PAGES * PAGE + "}")));
            }
            service.start();
            Path exports = service.workDir().resolve(Path.of("data", "exports"));
            Path db = service.workDir().resolve(Path.of("data", "store.db"));

            String first = run(service, false);
            awaitFinished(service, first, "SUCCEEDED");
            String checkpoint = checkpoint(db);
            assertThat(checkpoint, containsString(String.valueOf(1_700_000_000_000L + PAGES * PAGE - 1)));
            List<Path> before = visible(exports);
            assertThat(before.size(), is(2)); // the first run's .jsonl and .csv

            telecrm.resetRequests();
            String killed = run(service, true);
            Awaitility.await("the run reads page " + killOnPage).atMost(Duration.ofSeconds(60))
                    .until(() -> telecrm.findAll(postRequestedFor(urlPathEqualTo(SEARCH))).size() >= killOnPage);
            assertThat(status(service, killed).getString("status"), is("RUNNING"));
            service.kill();

            assertThat("no export of the killed run is visible", visible(exports), is(before));
            assertThat("the checkpoint is the first run's", checkpoint(db), is(checkpoint));
            assertThat("the killed run was writing its hidden files", temporary(exports).size(), is(2));

            service.start();
            assertThat("the killed run's unfinished files are deleted at the restart", temporary(exports), empty());
            JsonPath interrupted = status(service, killed);
            assertThat(interrupted.getString("status"), is("FAILED"));
            assertThat(interrupted.getString("error"), containsString("interrupted"));

            String again = run(service, true);
            JsonPath done = awaitFinished(service, again, "SUCCEEDED");
            assertThat(done.getInt("records"), is(PAGES * PAGE));
            List<Path> after = new ArrayList<>(visible(exports));
            after.removeAll(before);
            Path jsonl = after.stream().filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(jsonl);
            assertThat(lines.size(), is(PAGES * PAGE));
            assertThat("each lead once", lines.stream().distinct().count(), is((long) PAGES * PAGE));
            assertThat(after.size(), is(2));
            assertThat("the same newest lead", positions(checkpoint(db)), is(positions(checkpoint)));
            Tally.record(FAMILY, "kill -9 during an ETL export (page " + killOnPage + " of " + PAGES + ")", Tally.Outcome.RECOVERED);
        } finally {
            telecrm.stop();
        }
    }

    static final String TRUTO_LEADS = "/truto/unified/crm/leads";
    static final int LETTERS = 100;

    /** Killed at the first call (the replay request still going through the letters) or half-way through the calls. */
    @ParameterizedTest(name = "killed after {0} calls")
    @ValueSource(ints = { 1, LETTERS / 2 })
    void killDuringADeadLetterReplayReplaysEachLetterOnceOrLeavesItListed(int killAfterCalls) throws Exception {
        WireMockServer truto = new WireMockServer(WireMockConfiguration.options().dynamicPort().templatingEnabled(true));
        truto.start();
        try (ServiceProcess service = new ServiceProcess("kill-replay-" + killAfterCalls)
                .env("LEADSYNC_TRUTO_BASE_URL", "http://localhost:" + truto.port() + "/truto")
                .env("LEADSYNC_TRUTO_TOKEN", "kill-replay-token-2718")
                .env("LEADSYNC_TRUTO_INTEGRATED_ACCOUNT_IDS", "acc-1")
                .env("LEADSYNC_TRUTO_RATE_LIMIT", "10000")
                .env("LEADSYNC_DELIVERY_CLAIM_INTERVAL_MS", "200")) {
            truto.stubFor(get(urlPathEqualTo("/truto/unified/crm/stages")).willReturn(aResponse().withStatus(200)
                    .withBody(new String(getClass().getResourceAsStream("/fixtures/truto-stages.json").readAllBytes(),
                            StandardCharsets.UTF_8))));
            truto.stubFor(post(urlPathEqualTo(TRUTO_LEADS)).willReturn(aResponse().withStatus(422)
                    .withBody("{\"error\":\"phone_numbers: not accepted by this account\"}")));
            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    service.api().get("/stages").then().extract().jsonPath().getString("sources[0].status"), is("OK")));

            Map<String, String> phoneOf = new HashMap<>();
            for (int i = 0; i < LETTERS; i++) {
                String phone = "+91700000" + String.format("%04d", i);
                String id = service.api().contentType("application/json")
                        .body("{\"target\":\"truto:acc-1\",\"phone\":\"" + phone + "\",\"stage\":\"Lead In\"}")
                        .post("/leads").then().statusCode(202).extract().path("id");
                phoneOf.put(id, phone);
            }
            Awaitility.await("every update a REJECTED dead letter").atMost(Duration.ofSeconds(60)).until(() ->
                    service.api().get("/dead-letters?limit=1000&reason=REJECTED").then().extract().jsonPath()
                            .getList("deadLetters").size() == LETTERS);

            // Now Truto takes them, slowly: the replay's deliveries are under way when the process is killed.
            truto.resetRequests();
            truto.stubFor(post(urlPathEqualTo(TRUTO_LEADS)).willReturn(aResponse().withStatus(201).withFixedDelay(200)
                    .withTransformers("response-template")
                    .withBody("{\"id\":\"{{jsonPath request.body '$.phone_numbers[0].number'}}\"}")));
            String baseUri = service.baseUri();
            CompletableFuture<Integer> replay = CompletableFuture.supplyAsync(() -> {
                try {
                    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(baseUri + "/dead-letters/replay")).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                            .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception cutOff) {
                    return -1; // killed before it answered
                }
            });
            Awaitility.await("deliveries under way").atMost(Duration.ofSeconds(60))
                    .until(() -> truto.findAll(postRequestedFor(urlPathEqualTo(TRUTO_LEADS))).size() >= killAfterCalls);
            service.kill();
            int replayAnswer = replay.get();
            assertThat("the replay answered 202 or was cut off", replayAnswer == 202 || replayAnswer == -1, is(true));
            int sentBeforeKill = truto.findAll(postRequestedFor(urlPathEqualTo(TRUTO_LEADS))).size();

            service.start();
            // After the restart: each update is delivered (what was replayed, or put back to PENDING, goes on by
            // itself) or still a dead letter; replaying those now ends them all.
            Awaitility.await("nothing pending").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> statuses(service, phoneOf.keySet()).getOrDefault("PENDING", 0) == 0);
            Map<String, String> afterRestart = new HashMap<>();
            for (String id : phoneOf.keySet()) {
                afterRestart.put(id, service.api().get("/leads/" + id).then().statusCode(200).extract().path("status"));
            }
            Set<String> listed = new HashSet<>(service.api().get("/dead-letters?limit=1000").then().extract().jsonPath()
                    .getList("deadLetters.updateId", String.class));
            for (Map.Entry<String, String> update : afterRestart.entrySet()) {
                boolean delivered = update.getValue().equals("DELIVERED");
                if (!delivered && !listed.contains(update.getKey())) {
                    Tally.record(FAMILY, "update " + update.getKey() + " after a kill during a replay", Tally.Outcome.LOST);
                }
                assertThat(update.getKey() + " is " + update.getValue() + ", neither delivered nor listed",
                        delivered || listed.contains(update.getKey()), is(true));
                assertThat(update.getKey() + " delivered and still listed", delivered && listed.contains(update.getKey()), is(false));
            }
            service.api().post("/dead-letters/replay").then().statusCode(202);
            Awaitility.await("every update delivered").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> statuses(service, phoneOf.keySet()).getOrDefault("DELIVERED", 0) == LETTERS);
            assertThat(service.api().get("/dead-letters").then().extract().jsonPath().getList("deadLetters"), empty());

            // At Truto: one Idempotency-Key per update, so each is applied once. A call under way at the kill got no
            // answer and is sent again after the restart with the same key (Truto answers it as the first time):
            // at most one such repeat per delivery thread.
            Map<String, Set<String>> keysOf = new HashMap<>();
            Map<String, Integer> callsOf = new HashMap<>();
            for (LoggedRequest call : truto.findAll(postRequestedFor(urlPathEqualTo(TRUTO_LEADS)))) {
                String phone = JsonPath.from(call.getBodyAsString()).getString("phone_numbers[0].number");
                keysOf.computeIfAbsent(phone, k -> new HashSet<>()).add(call.getHeader("Idempotency-Key"));
                callsOf.merge(phone, 1, Integer::sum);
            }
            int repeats = 0;
            for (Map.Entry<String, String> update : phoneOf.entrySet()) {
                Set<String> keys = keysOf.getOrDefault(update.getValue(), Set.of());
                if (keys.size() != 1) {
                    Tally.record(FAMILY, "update " + update.getKey() + " after a kill during a replay",
                            keys.isEmpty() ? Tally.Outcome.LOST : Tally.Outcome.DUPLICATED);
                }
                assertThat(update.getValue() + ": Idempotency-Keys", keys, is(Set.of("leadsync-" + update.getKey())));
                repeats += callsOf.get(update.getValue()) - 1;
            }
            assertThat("calls sent again after the kill", repeats, lessThanOrEqualTo(4));
            assertThat(sentBeforeKill, greaterThanOrEqualTo(killAfterCalls));
            Tally.record(FAMILY, "kill -9 during POST /dead-letters/replay (" + LETTERS + " letters, " + sentBeforeKill
                    + " calls sent before the kill)", Tally.Outcome.RECOVERED);
        } finally {
            truto.stop();
        }
    }

    /** How many of the updates have each receipt status. */
    static Map<String, Integer> statuses(ServiceProcess service, Set<String> ids) {
        Map<String, Integer> counts = new HashMap<>();
        for (String id : ids) {
            counts.merge(service.api().get("/leads/" + id).then().statusCode(200).extract().path("status"), 1, Integer::sum);
        }
        return counts;
    }

    /** Starts a run of telecrm-leads; returns its id. */
    static String run(ServiceProcess service, boolean full) {
        return service.api().post("/etl/jobs/telecrm-leads/run?full=" + full).then().statusCode(202).extract().path("id");
    }

    static JsonPath status(ServiceProcess service, String id) {
        List<Map<String, Object>> runs = service.api().get("/etl/runs?job=telecrm-leads").then().statusCode(200).extract()
                .jsonPath().getList("runs");
        for (int i = 0; i < runs.size(); i++) {
            if (id.equals(runs.get(i).get("id"))) {
                return service.api().get("/etl/runs?job=telecrm-leads").then().extract().jsonPath().setRootPath("runs[" + i + "]");
            }
        }
        throw new AssertionError("no run " + id + " in GET /etl/runs: " + runs);
    }

    static JsonPath awaitFinished(ServiceProcess service, String id, String expected) {
        Awaitility.await("run " + id + " finished").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> !status(service, id).getString("status").equals("RUNNING"));
        JsonPath run = status(service, id);
        assertThat(run.prettify(), run.getString("status"), is(expected));
        return run;
    }

    /** The job's checkpoint row as the store holds it: positions and when they were saved. */
    static String checkpoint(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement query = c.createStatement();
                ResultSet row = query.executeQuery("select positions, saved_at from etl_checkpoint where job = 'telecrm-leads'")) {
            return row.next() ? row.getString(1) + " @" + row.getLong(2) : "none";
        }
    }

    static String positions(String checkpoint) {
        return checkpoint.split(" @")[0];
    }

    static List<Path> temporary(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    /** The export files a reader sees: not the hidden temporary ones. */
    static List<Path> visible(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
