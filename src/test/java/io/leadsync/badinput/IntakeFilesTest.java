package io.leadsync.badinput;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import io.leadsync.etl.EtlJobs;
import io.leadsync.etl.EtlRun;
import io.leadsync.testing.CrmFakes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Family "intake files": real files, whatever their bytes, dropped into the real intake directory (and the
 * lead-import directory). Each must end in .done/ (read, its bad lines VALIDATION dead letters naming file
 * and line) or .failed/ with a reason beside it; an empty one is read and said to be empty. Every good line
 * reaches the CRM exactly once.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@ExtendWith(Tally.class)
class IntakeFilesTest {

    static final String FAMILY = "intake files";
    static final int HUGE = 2 << 20;

    @Inject
    EtlJobs jobs;

    final GoodUpdates good = new GoodUpdates(FAMILY, "9183");

    /** A file to drop: its bytes, which of its lines must be dead letters, and whether it must fail (why). */
    record Case(String name, byte[] bytes, List<Long> badLines, String failedBecause, boolean empty) {
    }

    String jsonLine() {
        return good.json();
    }

    String csvRow() {
        return "superfone," + good.phone() + ",Asha Rao,Qualified";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : utf8((String) part));
        }
        return out.toByteArray();
    }

    /** Random bytes in which every line starts with 0xFF, so each line is not UTF-8, whatever the seed. */
    static byte[] garbage(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[size - 1] = (byte) 0xFF;
        for (int i = 0; i < size - 1; i++) {
            if (bytes[i] == '\n') {
                bytes[i + 1] = (byte) 0xFF;
            }
        }
        return bytes;
    }

    static Case read(String name, byte[] bytes, Long... badLines) {
        return new Case(name, bytes, List.of(badLines), null, false);
    }

    static Case empty(String name, byte[] bytes) {
        return new Case(name, bytes, List.of(), null, true);
    }

    List<Case> intakeCases() {
        List<Case> cases = new ArrayList<>();
        String header = "target,phone,name,stage\n";
        cases.add(empty("empty.jsonl", new byte[0]));
        cases.add(empty("empty.csv", new byte[0]));
        cases.add(empty("header-only.csv", utf8(header)));
        cases.add(empty("header-only-crlf.csv", utf8("target,phone,name,stage\r\n\r\n")));
        cases.add(empty("blank-lines.jsonl", utf8("\n\n   \n\t\n")));
        cases.add(empty("bom-only.jsonl", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}));
        cases.add(read("binary.jsonl", garbage(4096, 1), garbageLines(garbage(4096, 1))));
        cases.add(new Case("binary.csv", garbage(4096, 2), List.of(), "the header row (line 1) cannot be read", false));
        cases.add(read("bom.jsonl", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, jsonLine() + "\n" + jsonLine() + "\n")));
        cases.add(read("bom.csv", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, header + csvRow() + "\n")));
        cases.add(read("crlf.jsonl", utf8(jsonLine() + "\r\n" + jsonLine() + "\r\n")));
        cases.add(read("crlf.csv", utf8("target,phone,name,stage,notes\r\n" + csvRow() + ",\"two\r\nlines\"\r\n" + csvRow() + ",\r\n")));
        cases.add(read("no-final-newline.jsonl", utf8(jsonLine() + "\n" + jsonLine())));
        cases.add(read("huge-line.jsonl", utf8(jsonLine() + "\n" + "x".repeat(HUGE) + "\n" + jsonLine() + "\n"), 2L));
        cases.add(read("huge-value.jsonl", utf8(jsonLine() + "\n{\"target\":\"superfone\",\"name\":\"" + "x".repeat(HUGE)
                + "\"}\n" + jsonLine() + "\n"), 2L));
        cases.add(read("huge-row.csv", utf8(header + csvRow() + "\n" + "superfone,+918399999999," + "x".repeat(HUGE)
                + ",Qualified\n" + csvRow() + "\n"), 3L));
        cases.add(read("huge-quoted-row.csv", utf8(header + csvRow() + "\nsuperfone,+918399999998,\"" + "x\n".repeat(HUGE / 2)
                + "\",Qualified\n" + csvRow() + "\n"), 3L));
        cases.add(read("unterminated-quote.csv", utf8(header + csvRow() + "\n" + csvRow() + "\nsuperfone,+918399999997,\"Asha,Qualified\n"),
                4L));
        cases.add(read("latin1-line.jsonl", concat(jsonLine() + "\n",
                "{\"target\":\"superfone\",\"phone\":\"+918399999996\",\"name\":\"José\"}\n".getBytes(StandardCharsets.ISO_8859_1),
                jsonLine() + "\n"), 2L));
        cases.add(read("latin1-row.csv", concat(header + csvRow() + "\n",
                "superfone,+918399999995,José,Qualified\n".getBytes(StandardCharsets.ISO_8859_1), csvRow() + "\n"), 3L));
        cases.add(read("too-many-columns.csv", utf8(header + csvRow() + "\nsuperfone,+918399999994,Asha,Qualified,extra\n"
                + csvRow() + "\n"), 3L));
        cases.add(new Case("duplicate-columns.csv", utf8("target,phone,phone,stage\n" + "superfone,+918399999993,+918399999993,Qualified\n"),
                List.of(), "must name each column once", false));
        cases.add(new Case("empty-column-name.csv", utf8("target,,stage\nsuperfone,+918399999992,Qualified\n"),
                List.of(), "must name each column once", false));
        cases.add(read("duplicate-key.jsonl", utf8(jsonLine() + "\n"
                + "{\"target\":\"superfone\",\"target\":\"telecrm\",\"phone\":\"+918399999991\"}\n" + jsonLine() + "\n"), 2L));
        cases.add(read("trailing-text.jsonl", utf8(jsonLine() + "\n"
                + "{\"target\":\"superfone\",\"phone\":\"+918399999990\"} and more\n" + jsonLine() + "\n"), 2L));
        cases.add(read("two-objects-on-a-line.jsonl", utf8(
                "{\"target\":\"superfone\",\"phone\":\"+918399999989\"}{\"target\":\"superfone\",\"phone\":\"+918399999988\"}\n"
                        + jsonLine() + "\n"), 1L));
        cases.add(read("deep.jsonl", utf8(jsonLine() + "\n" + "[".repeat(50_000) + "]".repeat(50_000) + "\n"), 2L));
        cases.add(read("stage-object.jsonl", utf8("{\"target\":\"superfone\",\"phone\":\"+918399999987\",\"stage\":{\"name\":\"Fresh\"}}\n"
                + jsonLine() + "\n"), 1L));
        cases.add(read("empty-lead-id.jsonl", utf8("{\"target\":\"telecrm\",\"leadId\":\"\"}\n" + jsonLine() + "\n"), 1L));
        cases.add(read("nul-bytes.jsonl", concat(jsonLine() + "\n", new byte[] {0, 0, 0, '\n'}, jsonLine() + "\n"), 2L));
        cases.add(read("array-line.jsonl", utf8("[{\"target\":\"superfone\",\"phone\":\"+918399999985\"}]\n" + jsonLine() + "\n"), 1L));
        cases.add(read("bad-email.csv", utf8("target,phone,email,stage\nsuperfone,+918399999986,not-an-address,Qualified\n"
                + "superfone," + good.phone() + ",asha@example.com,Qualified\n"), 2L));
        return cases;
    }

    /** Every line of garbage(): each one a dead letter. */
    static Long[] garbageLines(byte[] bytes) {
        long newlines = 0;
        for (byte b : bytes) {
            newlines += b == '\n' ? 1 : 0;
        }
        return java.util.stream.LongStream.rangeClosed(1, newlines + 1).boxed().toArray(Long[]::new);
    }

    static Path dir(String key) {
        return Path.of(ConfigProvider.getConfig().getValue(key, String.class));
    }

    /** Written under a hidden name first, then renamed into place, as a careful operator does. */
    static void drop(Path dir, Case c) throws Exception {
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + c.name() + ".part");
        Files.write(temp, c.bytes());
        Files.move(temp, dir.resolve(c.name()));
    }

    /** Where the file went: .done/ or .failed/ (with the time prefix), once it has left the directory. */
    static Optional<Path> movedTo(Path dir, String name) throws Exception {
        for (String place : List.of(".done", ".failed")) {
            Path moved = dir.resolve(place);
            if (Files.isDirectory(moved)) {
                try (Stream<Path> files = Files.list(moved)) {
                    Optional<Path> found = files.filter(p -> p.getFileName().toString().matches("\\d{8}-\\d{6}-" + java.util.regex.Pattern.quote(name)))
                            .findFirst();
                    if (found.isPresent() && !Files.exists(dir.resolve(name))) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }

    static List<Long> deadLetterLines(String name) {
        List<String> origins = given().queryParam("limit", 1000).get("/dead-letters").then().statusCode(200).extract().jsonPath()
                .getList("deadLetters.findAll { it.origin != null && it.origin.startsWith('file " + name + " line ') }.origin");
        return origins.stream().map(o -> Long.parseLong(o.substring(("file " + name + " line ").length()))).sorted().toList();
    }

    /** Checks one dropped file's end and tallies it. */
    void check(Path dir, Case c) throws Exception {
        Path[] moved = new Path[1];
        Awaitility.await(c.name() + " moved out of the directory").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    moved[0] = movedTo(dir, c.name()).orElse(null);
                    return moved[0] != null;
                });
        assertThat("no lock file left beside " + c.name(), Files.exists(dir.resolve(c.name() + ".camelLock")), is(false));
        List<Long> lines = deadLetterLines(c.name());
        if (lines.size() > c.badLines().size() && List.copyOf(new java.util.TreeSet<>(lines)).equals(c.badLines())) {
            Tally.record(FAMILY, c.name() + ": a line dead-lettered twice", Tally.Outcome.DUPLICATED);
        }
        if (c.failedBecause() != null) {
            Tally.record(FAMILY, c.name(), Tally.Outcome.FAILED_WITH_REASON);
            assertThat(moved[0].getParent().getFileName().toString(), is(".failed"));
            Path reason = moved[0].resolveSibling(moved[0].getFileName() + ".reason.txt");
            assertThat("reason beside " + moved[0], Files.exists(reason), is(true));
            assertThat(Files.readString(reason), containsString(c.failedBecause()));
        } else {
            Tally.record(FAMILY, c.name(), c.badLines().isEmpty() ? Tally.Outcome.RECOVERED : Tally.Outcome.DEAD_LETTERED);
            assertThat(moved[0].getParent().getFileName().toString(), is(".done"));
        }
        assertThat(c.name() + " dead letters by line", lines, is(c.badLines()));
        if (c.empty()) {
            List<String> skipped = given().get("/etl/runs").then().statusCode(200).extract().jsonPath()
                    .getList("runs.find { it.trigger == 'file " + c.name() + "' }.skipped");
            assertThat(skipped, hasItem(containsString("empty")));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFileEndsInAKnownPlace() throws Exception {
        GoodUpdates.superfoneUp();
        Path intake = dir("leadsync.intake.dir");
        List<Case> cases = intakeCases();
        for (Case c : cases) {
            drop(intake, c);
        }
        Path imports = dir("leadsync.etl.lead-import.dir");
        List<Case> imported = List.of(
                empty("import-empty.jsonl", new byte[0]),
                new Case("import-binary.csv", garbage(2048, 3), List.of(), "the header row (line 1) cannot be read", false),
                read("import-mixed.csv", utf8("target,phone,name,stage\n" + csvRow() + "\nsuperfone,12345,Bad Phone,Qualified\n"
                        + csvRow() + "\n"), 3L));
        Stream<DynamicTest> intakeTests = cases.stream().map(c -> DynamicTest.dynamicTest("intake: " + c.name(), () -> guarded(c, () -> check(intake, c))));
        Stream<DynamicTest> importTests = Stream.concat(
                Stream.of(DynamicTest.dynamicTest("the lead-import job reads every waiting file and fails naming the unreadable one", () -> {
                    for (Case c : imported) {
                        drop(imports, c);
                    }
                    Thread.sleep(300); // older than leadsync.intake.min-age-ms, like a file that finished being written
                    EtlRun run = jobs.run("lead-import", "bad-input");
                    assertThat(run.status(), is(EtlRun.Status.FAILED));
                    assertThat(run.error(), containsString("import-binary.csv"));
                })),
                imported.stream().filter(c -> !c.empty()).map(c -> DynamicTest.dynamicTest("lead-import: " + c.name(),
                        () -> guarded(c, () -> check(imports, c)))));
        Stream<DynamicTest> importEmpty = Stream.of(DynamicTest.dynamicTest("lead-import: import-empty.jsonl", () -> {
            Case c = imported.get(0);
            Path[] moved = new Path[1];
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> (moved[0] = movedTo(imports, c.name()).orElse(null)) != null);
            Tally.record(FAMILY, c.name(), Tally.Outcome.RECOVERED);
            assertThat(moved[0].getParent().getFileName().toString(), is(".done"));
        }));
        Stream<DynamicTest> none = Stream.of(DynamicTest.dynamicTest("each good line reached the CRM once",
                () -> assertThat(good.tallyLostAndDuplicated(), is(0))));
        return Stream.of(intakeTests, importTests, importEmpty, none).flatMap(s -> s);
    }

    interface Check {
        void run() throws Exception;
    }

    /** A file that never left the directory is a lost input: tallied so, then the failure goes on. */
    static void guarded(Case c, Check check) throws Exception {
        try {
            check.run();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Tally.record(FAMILY, c.name() + " never left the directory", Tally.Outcome.LOST);
            fail(e);
        }
    }
}
