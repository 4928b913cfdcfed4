package io.leadsync.it;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.restassured.specification.RequestSpecification;
import org.awaitility.Awaitility;

/**
 * The packaged service (target/quarkus-app/quarkus-run.jar) as a user runs it: its own process, started
 * from a working directory holding a copy of routes/, configured by environment variables. It can be
 * stopped gracefully or killed (SIGKILL) and started again over the same working directory.
 */
final class ServiceProcess implements AutoCloseable {

    /** Every process made by the running test, for {@link ServiceLogs} to show when the test fails. */
    static final List<ServiceProcess> CREATED = new CopyOnWriteArrayList<>();

    private final String name;
    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private Process process;
    private int port;
    private int starts;

    ServiceProcess(String name) {
        this.name = name;
        CREATED.add(this);
        try {
            workDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "it-" + name + "-");
            Path routes = Files.createDirectories(workDir.resolve("routes"));
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, routes.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ServiceProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    Path workDir() {
        return workDir;
    }

    /** Starts the jar and waits until /q/health/ready answers 200. */
    ServiceProcess start() {
        return start("/q/health/ready");
    }

    /** Starts the jar and waits until it is alive (/q/health/live), ready or not: a start on a broken data dir. */
    ServiceProcess startAlive() {
        return start("/q/health/live");
    }

    private ServiceProcess start(String health) {
        try {
            port = freePort();
            String jar = System.getProperty("leadsync.app.jar", "target/quarkus-app/quarkus-run.jar");
            // C1 only: a quarter faster to start (measured 5.9 s against 7.3-8.9 s for the plain JVM), and these
            // processes live for seconds; the service's own speed is the benchmarks' concern (bench/).
            ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-XX:TieredStopAtLevel=1", "-jar",
                    Path.of(jar).toAbsolutePath().toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            process = builder.start();
            starts++;
            Awaitility.await("leadsync answering " + health + " (log: " + log() + ")").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("leadsync exited with " + process.exitValue() + "; log: " + log());
                        }
                        try {
                            return given().port(port).get(health).statusCode() == 200;
                        } catch (Exception notYet) {
                            return false;
                        }
                    });
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the jar and waits for it to end by itself (run-once mode); returns its exit code. */
    int runToExit(Duration atMost) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar",
                Path.of(System.getProperty("leadsync.app.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        process = builder.start();
        if (!process.waitFor(atMost.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("leadsync did not exit within " + atMost + "; log: " + log());
        }
        return process.exitValue();
    }

    /** A request to this process. */
    RequestSpecification api() {
        return given().port(port);
    }

    /** The HTTP port of the current (or last) start: each start takes a free one, so replicas never share it. */
    int port() {
        return port;
    }

    /** Where the current (or last) start answers, e.g. {@code http://localhost:41234}. */
    String baseUri() {
        return "http://localhost:" + port;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    /** Sends SIGTERM, as Kubernetes or `podman stop` does, without waiting for the process to end. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; returns its exit code. */
    int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("leadsync did not exit within " + atMost + "; log: " + log());
        }
        return process.exitValue();
    }

    /** Ends the process without a graceful stop, as a crash or an OOM kill would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    Path log() {
        return workDir.resolve("leadsync.log");
    }

    String logText() {
        try {
            return Files.readString(log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int starts() {
        return starts;
    }

    /** The last {@code lines} lines of the log, with where the whole of it is: for a failing test's report. */
    String logTail(int lines) {
        List<String> all;
        try {
            all = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
        StringBuilder tail = new StringBuilder("---- leadsync '" + name + "' (" + starts + " start(s), "
                + (alive() ? "running" : "not running") + "), last " + Math.min(lines, all.size()) + " of " + all.size()
                + " log lines; whole log: " + log() + "\n");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(line -> tail.append(line).append('\n'));
        return tail.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
