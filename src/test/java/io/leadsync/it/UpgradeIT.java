package io.leadsync.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A data dir written by the file store (src/test/resources/upgrade/file-store-leads: made by leadsync 3bee63a
 * on the demo profile — 32 finished updates, a dead letter for a bad stage and one for an unreadable import
 * line, an idempotency key — plus three accepted updates still in its inbox, two of them for one lead) is
 * imported on the first start of the database store: every receipt, letter and key is there, the waiting
 * updates are delivered, and the old folder is moved aside.
 */
class UpgradeIT {

    static final Path FIXTURE = Path.of("src/test/resources/upgrade/file-store-leads");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFileStoreDataDirIsImportedOnFirstStartNothingLost() throws Exception {
        try (ServiceProcess service = new ServiceProcess("upgrade").env("QUARKUS_PROFILE", "demo")) {
            Path leads = service.workDir().resolve("data/demo/leads");
            copy(FIXTURE, leads);
            service.start();

            for (Path file : files(FIXTURE.resolve("receipts"))) {
                Map<?, ?> old = JSON.readValue(file.toFile(), Map.class);
                JsonPath now = service.api().get("/leads/" + old.get("id")).then().statusCode(200).extract().jsonPath();
                assertThat(now.getString("status"), is(old.get("status")));
                assertThat(now.getInt("attempts"), is(old.get("attempts")));
                // The store keeps milliseconds; the files had nanoseconds.
                assertThat(java.time.Instant.parse(now.getString("acceptedAt")),
                        is(java.time.Instant.parse((String) old.get("acceptedAt")).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
            }
            for (Path file : files(FIXTURE.resolve("inbox/superfone"))) {
                String id = file.getFileName().toString().replace(".json", "");
                Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        service.api().get("/leads/" + id).then().extract().jsonPath().getString("status"), is("DELIVERED")));
            }
            List<String> letters = service.api().get("/dead-letters").then().statusCode(200).extract().jsonPath()
                    .getList("deadLetters.id");
            assertThat(letters, containsInAnyOrder(files(FIXTURE.resolve("dead-letters")).stream()
                    .map(f -> f.getFileName().toString().replace(".json", "")).toArray()));

            String firstId = Files.readString(files(FIXTURE.resolve("idempotency")).get(0)).trim();
            service.api().header("Idempotency-Key", "upgrade-key-1").contentType("application/json")
                    .body("{\"target\":\"superfone\",\"phone\":\"+919812300009\",\"stage\":\"Demo Scheduled\"}")
                    .post("/leads").then().statusCode(202).body("id", is(firstId));

            assertThat(Files.exists(leads), is(false));
            try (Stream<Path> aside = Files.list(leads.getParent())) {
                assertThat(aside.filter(p -> p.getFileName().toString().startsWith("leads.imported-")).toList(), hasSize(1));
            }
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : tree.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
