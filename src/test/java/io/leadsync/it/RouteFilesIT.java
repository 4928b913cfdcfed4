package io.leadsync.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import io.leadsync.badinput.Tally;
import io.restassured.path.json.JsonPath;

/**
 * Family "route files": route files an operator gets wrong, saved into routes/ of the running service (the demo
 * profile, its timers polling the sandbox) and found in routes/ at start-up. Saved while running, each is rejected
 * with its file and line in GET /routes, every other file's routes stay exactly as they were and readiness stays
 * UP; present at start, the service exits 1 with {@code leadsync: bad route file: routes/<file>:<line>: …} before
 * any route started.
 */
@ExtendWith({ ServiceLogs.class, Tally.class })
class RouteFilesIT {

    static final String FAMILY = "route files";

    /** A bad route file: its name, bytes, the line it must be reported at and a part of the reason. */
    record Bad(String input, String file, byte[] bytes, int line, String reason) {
        static Bad text(String input, String file, String text, int line, String reason) {
            return new Bad(input, file, text.getBytes(StandardCharsets.UTF_8), line, reason);
        }
    }

    /** A route whose sixth line is {@code step}. */
    static String routeWith(String id, String step) {
        return "- route:\n    id: " + id + "\n    from:\n      uri: direct:" + id + "\n      steps:\n        " + step + "\n";
    }

    static byte[] binary() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (255 - i);
        }
        return bytes;
    }

    static List<Bad> badFiles() {
        return List.of(
                Bad.text("a YAML syntax error", "zz-syntax.yaml", routeWith("zz-syntax", "- to: direct:x: ["), 6,
                        "mapping values are not allowed here"),
                Bad.text("indented with a tab", "zz-tab.yaml", "- route:\n    id: zz-tab\n    from:\n\turi: direct:zz-tab\n", 4,
                        "that cannot start any token. (Do not use \\t(TAB) for indentation)"),
                Bad.text("an unknown EIP", "zz-eip.yaml", routeWith("zz-eip", "- frobnicate:\n            times: 3"), 6,
                        "frobnicate"),
                Bad.text("an unknown endpoint scheme", "zz-scheme.yaml", routeWith("zz-scheme", "- to: nosuchscheme:publish"), 6,
                        "No endpoint could be found for: nosuchscheme://publish"),
                Bad.text("an endpoint option that does not exist", "zz-option.yaml",
                        routeWith("zz-option", "- to: direct:publish-catalog?noSuchOption=1"), 6, "noSuchOption"),
                Bad.text("a placeholder that is not set", "zz-placeholder.yaml",
                        routeWith("zz-placeholder", "- to: \"{{leadsync.no-such-key}}\""), 6, "leadsync.no-such-key"),
                Bad.text("a route id another file uses", "zz-duplicate.yaml", routeWith("superfone-stages", "- to: direct:x"), 1,
                        "route id 'superfone-stages' is already used at superfone-stages.yaml:"),
                new Bad("a binary file", "zz-binary.yaml", binary(), 1, "not UTF-8 text: byte 0xFF at offset 0"),
                Bad.text("an empty file", "zz-empty.yaml", "", 1, "defines nothing"),
                Bad.text("only a comment", "zz-comment.yaml", "# routes for the new CRM go here\n", 1, "defines nothing"),
                Bad.text("YAML that is not a list of routes", "zz-map.yaml", "route:\n  id: zz-map\n", 1,
                        "the top level is a mapping (route: …); a route file is a list"));
    }

    static ServiceProcess service;

    @BeforeAll
    static void start() {
        service = new ServiceProcess("route-files").env("QUARKUS_PROFILE", "demo").start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        service.close();
    }

    @TestFactory
    Stream<DynamicTest> aBadFileSavedWhileRunningIsRejectedAndNothingChanges() {
        Stream<DynamicTest> newFiles = badFiles().stream()
                .map(bad -> DynamicTest.dynamicTest("reload: " + bad.input(), () -> rejectedOnReload(bad, null)));
        // The dangerous one: a file of running routes truncated (an editor's half-done save) would remove them.
        Bad emptied = Bad.text("a file of running routes emptied", "superfone-stages.yaml", "", 1, "defines nothing");
        return Stream.concat(newFiles, Stream.of(DynamicTest.dynamicTest("reload: " + emptied.input(),
                () -> rejectedOnReload(emptied, service.workDir().resolve("routes").resolve(emptied.file())))));
    }

    private static void rejectedOnReload(Bad bad, Path original) throws Exception {
        Path routes = service.workDir().resolve("routes");
        byte[] before = original == null ? null : Files.readAllBytes(original);
        Map<String, String> others = othersThan(bad.file());
        save(routes.resolve(bad.file()), bad.bytes());
        JsonPath file;
        try {
            Awaitility.await(bad.input() + " rejected").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> "REJECTED".equals(entry(bad.file()).getString("state")));
        } catch (org.awaitility.core.ConditionTimeoutException notRejected) {
            Tally.record(FAMILY, "reload: " + bad.input(), Tally.Outcome.TAKEN);
            throw new AssertionError(bad.input() + " not rejected: " + service.api().get("/routes").asString(), notRejected);
        }
        file = entry(bad.file());
        assertThat(bad.input() + ": " + file.getString("error"), file.getInt("line"), is(bad.line()));
        assertThat(bad.input(), file.getString("error"), containsString(bad.reason()));
        assertThat("every other file as it was", othersThan(bad.file()), is(others));
        service.api().get("/q/health/ready").then().statusCode(200);
        assertThat(service.logText(), containsString("Route file edit rejected, the running routes stay as they were: "
                + bad.file() + ":" + bad.line() + ": "));
        Tally.record(FAMILY, "reload: " + bad.input(), Tally.Outcome.REJECTED_ON_RELOAD);
        if (original != null) {
            save(original, before);
            Awaitility.await("original restored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> "LOADED".equals(entry(bad.file()).getString("state")));
        }
        service.api().get("/q/health/ready").then().statusCode(200);
    }

    @TestFactory
    Stream<DynamicTest> aBadFileInRoutesStopsTheStart() {
        List<String> atStart = List.of("a YAML syntax error", "an unknown endpoint scheme", "a route id another file uses",
                "a binary file");
        return badFiles().stream().filter(bad -> atStart.contains(bad.input()))
                .map(bad -> DynamicTest.dynamicTest("start: " + bad.input(), () -> refusedAtStart(bad)));
    }

    @org.junit.jupiter.api.Test
    void startedWhereThereIsNoRoutesDirectoryItSaysSo() throws Exception {
        // Started from the wrong directory: Camel used to stop with two stack traces of NoSuchFileException: routes.
        ServiceProcess starting = new ServiceProcess("route-files-start").env("QUARKUS_PROFILE", "demo");
        try (Stream<Path> files = Files.list(starting.workDir().resolve("routes"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(starting.workDir().resolve("routes"));
        refusedAtStart(starting, "start: no routes/ directory where it starts",
                "leadsync: bad route file: routes: no such directory", "start leadsync where its routes/ directory is");
    }

    private static void refusedAtStart(Bad bad) throws Exception {
        ServiceProcess starting = new ServiceProcess("route-files-start").env("QUARKUS_PROFILE", "demo");
        Files.write(starting.workDir().resolve("routes").resolve(bad.file()), bad.bytes());
        refusedAtStart(starting, "start: " + bad.input(), "leadsync: bad route file: routes/" + bad.file() + ":" + bad.line() + ": ",
                bad.reason());
    }

    private static void refusedAtStart(ServiceProcess starting, String input, String expected, String reason) throws Exception {
        int exit;
        try {
            exit = starting.runToExit(Duration.ofSeconds(90));
        } catch (IllegalStateException ranOn) {
            Tally.record(FAMILY, input, Tally.Outcome.TAKEN);
            throw ranOn;
        }
        List<String> lines = starting.logText().lines().toList();
        assertThat("exit code; log: " + starting.log(), exit, is(1));
        List<String> reported = lines.stream().filter(l -> l.startsWith("leadsync: bad route file: ")).toList();
        assertThat(reported.toString(), reported.size(), is(1));
        assertThat(reported.get(0), containsString(expected));
        assertThat(reported.get(0), containsString(reason));
        // No stack trace, and no route started.
        assertThat(lines.stream().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by")).toList(), empty());
        assertThat(starting.logText(), not(containsString("Routes startup")));
        Tally.record(FAMILY, input, Tally.Outcome.REFUSED_AT_START);
    }

    /** GET /routes' entry of one file. */
    private static JsonPath entry(String file) {
        return new JsonPath(service.api().get("/routes").then().statusCode(200).extract().asString())
                .setRootPath("files.find { it.file == '" + file + "' }");
    }

    /** Every other file's state, when it was loaded, and its routes with whether each runs. */
    private static Map<String, String> othersThan(String file) {
        List<Map<String, Object>> files = new JsonPath(service.api().get("/routes").then().statusCode(200).extract().asString())
                .getList("files");
        return files.stream().filter(f -> !file.equals(f.get("file")) && !String.valueOf(f.get("file")).startsWith("zz-"))
                .collect(Collectors.toMap(f -> String.valueOf(f.get("file")),
                        f -> f.get("state") + " " + f.get("loadedAt") + " " + f.get("routes")));
    }

    /** Saved as operators are told to: a finished file renamed over the old one. */
    private static void save(Path file, byte[] bytes) throws Exception {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
