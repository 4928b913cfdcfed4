package io.leadsync.routefiles;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validate mode on the packaged jar, as CI or an operator runs it: {@code LEADSYNC_VALIDATE_ROUTES=routes java -jar
 * quarkus-run.jar} in a working directory that holds only routes/. The report (a {@code file:line: message} per
 * problem, then one summary line, on standard error) is all it prints; it exits 0 clean, 1 with problems, 2 without
 * a routes directory; and it opens no port, writes no file and calls no CRM.
 * <p>
 * How the last three are seen: one socket the test holds is the HTTP port the run is given and the base URL of all
 * three CRMs, which are configured with credentials; a listen on it would fail the start and a call would wait in
 * its backlog. Besides, the run's open sockets are sampled while it runs for any in the LISTEN state (any port), the
 * working directory must hold afterwards exactly what the test put there, and the JVM's temp directory no file.
 */
class ValidateModeIT {

    private static final String JAR = System.getProperty("leadsync.app.jar", "target/quarkus-app/quarkus-run.jar");

    @TempDir
    Path temp;

    /** What one run did. */
    record Run(int exit, List<String> stdout, List<String> stderr, boolean listened, boolean crmCalled, Path tmpdir) {
        String describe() {
            return "exit " + exit + "\n--- stdout:\n" + String.join("\n", stdout) + "\n--- stderr:\n" + String.join("\n", stderr);
        }
    }

    @Test
    void theShippedRoutesPassAndNothingElseHappens() throws Exception {
        Path work = workDir("clean");
        Set<Path> before = contents(work);

        Run run = validate(work);

        assertThat(run.describe(), run.exit(), is(0));
        assertThat(run.describe(), run.stderr(), is(List.of("route validation: OK, " + routeFiles() + " route files")));
        assertThat(run.describe(), run.stdout(), empty());
        assertNoSideEffects(run, work, before);
    }

    @Test
    void brokenRoutesAreReportedOneLineEachThenASummary() throws Exception {
        Path work = workDir("broken");
        Path routes = work.resolve("routes");
        // A schema violation, an expression simple cannot compile, a bean that does not exist.
        int unknownKey = edit(routes, "superfone-stages.yaml", "            method: readPage\n",
                "            method: readPage\n            retries: 3\n", 1);
        int expression = edit(routes, "superfone-leads.yaml", "simple: \"${exchangeProperty.unchanged} == null\"",
                "simple: \"${exchangeProperty.unchanged == null\"", 0);
        int missingBean = edit(routes, "telecrm-leads.yaml", "- bean:\n            ref: telecrmLeads\n            method: updated",
                "- bean:\n            ref: noSuchBean\n            method: updated", 0);
        Set<Path> before = contents(work);

        Run run = validate(work);

        assertThat(run.describe(), run.exit(), is(1));
        assertThat(run.describe(), run.stdout(), empty());
        assertThat(run.describe(), run.stderr().size(), is(4));
        List<Matcher<? super String>> problems = List.of(startsWith("superfone-stages.yaml:" + unknownKey + ": "),
                startsWith("superfone-leads.yaml:" + expression + ": route superfone-deliver cannot be created: "),
                startsWith("telecrm-leads.yaml:" + missingBean + ": "));
        assertThat(run.describe(), run.stderr().subList(0, 3), containsInAnyOrder(problems));
        assertThat(run.describe(), run.stderr().get(3), is("route validation: 3 problem(s) in " + routeFiles() + " route files"));
        assertNoSideEffects(run, work, before);
    }

    @Test
    void withoutARoutesDirectoryItIsAUsageError() throws Exception {
        Path work = Files.createDirectory(temp.resolve("no-routes"));
        Set<Path> before = contents(work);

        Run run = validate(work);

        assertThat(run.describe(), run.exit(), is(2));
        assertThat(run.describe(), run.stderr(), is(List.of("route validation: routes: no such directory")));
        assertThat(run.describe(), run.stdout(), empty());
        assertNoSideEffects(run, work, before);
    }

    private static void assertNoSideEffects(Run run, Path work, Set<Path> before) throws IOException {
        assertThat("a socket of the run was listening; " + run.describe(), run.listened(), is(false));
        assertThat("the run called a CRM; " + run.describe(), run.crmCalled(), is(false));
        // No data/ (store, cluster lock), no log file, no intake or export directory: nothing but what the test put there.
        assertThat(run.describe(), contents(work), is(before));
        // Vert.x makes its (empty) file-cache directory here at every Quarkus start; a file would be something written.
        try (Stream<Path> all = Files.walk(run.tmpdir())) {
            assertThat(run.describe(), all.filter(Files::isRegularFile).toList(), empty());
        }
    }

    /**
     * Runs validate mode in {@code work}, its HTTP port and every CRM's base URL a socket the test holds open, and
     * samples the process's listening sockets until it exits.
     */
    private Run validate(Path work) throws Exception {
        Path tmpdir = Files.createDirectory(temp.resolve(work.getFileName() + "-java-tmp"));
        Path stdout = temp.resolve(work.getFileName() + ".stdout");
        Path stderr = temp.resolve(work.getFileName() + ".stderr");
        try (ServerSocket trap = new ServerSocket(0)) {
            // The sampler sees a listening socket: this one, of this JVM.
            assertThat("the listening-socket sampler works", listens(ProcessHandle.current().pid()), is(true));
            String crm = "http://127.0.0.1:" + trap.getLocalPort();
            ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmpdir,
                    "-jar", Path.of(JAR).toAbsolutePath().toString())
                    .directory(work.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(key -> key.startsWith("LEADSYNC_") || key.startsWith("QUARKUS_"));
            env.put("LEADSYNC_VALIDATE_ROUTES", "routes");
            env.put("QUARKUS_HTTP_PORT", String.valueOf(trap.getLocalPort()));
            env.put("LEADSYNC_TELECRM_BASE_URL", crm + "/autoupdate/v2");
            env.put("LEADSYNC_TELECRM_ENTERPRISE_ID", "ent-validate");
            env.put("LEADSYNC_TELECRM_TOKEN", "validate-token");
            env.put("LEADSYNC_SUPERFONE_BASE_URL", crm + "/superfone");
            env.put("LEADSYNC_SUPERFONE_API_KEY", "validate-key");
            env.put("LEADSYNC_TRUTO_BASE_URL", crm);
            env.put("LEADSYNC_TRUTO_TOKEN", "validate-token");
            env.put("LEADSYNC_TRUTO_INTEGRATED_ACCOUNT_IDS", "acct-validate");
            Process process = builder.start();
            boolean listened = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
                listened |= listens(process.pid());
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("validate mode did not exit within 120 s; stderr: " + Files.readString(stderr));
                }
            }
            boolean called;
            trap.setSoTimeout(1);
            try (Socket call = trap.accept()) {
                called = call != null;
            } catch (SocketTimeoutException none) {
                called = false;
            }
            return new Run(process.exitValue(), Files.readAllLines(stdout), Files.readAllLines(stderr), listened, called, tmpdir);
        }
    }

    /** Whether a socket of process {@code pid} is in the LISTEN state (TCP, IPv4 or IPv6), from /proc. */
    static boolean listens(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closed) {
                    // closed between the listing and the read
                }
            }
        } catch (IOException ended) {
            return false;
        }
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = Files.exists(Path.of(table)) ? Files.readAllLines(Path.of(table)) : List.of();
            for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
                String[] field = row.strip().split("\\s+");
                if (field.length > 9 && field[3].equals("0A") && inodes.contains(field[9])) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A working directory holding a copy of routes/ and nothing else. */
    private Path workDir(String name) throws IOException {
        Path work = Files.createDirectory(temp.resolve(name));
        io.leadsync.testing.RouteCopies.freshCopy(work.resolve("routes"));
        return work;
    }

    /** Every file and directory under {@code dir}, relative to it. */
    private static Set<Path> contents(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return new HashSet<>(all.map(dir::relativize).toList());
        }
    }

    private static long routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).count();
        }
    }

    /** Replaces {@code good} by {@code bad} (the first time it occurs) and answers the line of bad's line {@code offset}. */
    private static int edit(Path dir, String file, String good, String bad, int offset) throws IOException {
        Path path = dir.resolve(file);
        String text = Files.readString(path);
        int at = text.indexOf(good);
        if (at < 0) {
            throw new AssertionError(file + " no longer contains: " + good);
        }
        Files.writeString(path, text.substring(0, at) + bad + text.substring(at + good.length()));
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1 + offset;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
