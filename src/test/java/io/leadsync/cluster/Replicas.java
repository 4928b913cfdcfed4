package io.leadsync.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.DefaultCamelContext;

/** Test replicas: each a CamelContext of its own with a cluster service, holding the namespace's view as Leadership does. */
final class Replicas {

    private Replicas() {
    }

    static final class Replica implements AutoCloseable {
        final String name;
        final CamelClusterService service;
        final DefaultCamelContext camel = new DefaultCamelContext();

        Replica(String name, CamelClusterService service) throws Exception {
            this.name = name;
            this.service = service;
            service.setId(name);
            camel.getCamelContextExtension().setName(name);
            camel.start();
            camel.addService(service); // started with it, as Camel Main does for a cluster service in the registry
            service.getView(Leadership.NAMESPACE);
        }

        boolean isLeader() {
            return service.isLeader(Leadership.NAMESPACE);
        }

        void stop() {
            camel.stop();
        }

        @Override
        public void close() {
            camel.stop();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Samples every replica every 50 ms from start to close: two leaders at any one sample is recorded. */
    static final class Sampler implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final List<String> overlaps = new CopyOnWriteArrayList<>();
        private final AtomicInteger samples = new AtomicInteger();

        Sampler(Replica... replicas) {
            long start = System.nanoTime();
            timer.scheduleAtFixedRate(() -> {
                List<String> leaders = new ArrayList<>();
                for (Replica replica : replicas) {
                    if (replica.isLeader()) {
                        leaders.add(replica.name);
                    }
                }
                samples.incrementAndGet();
                if (leaders.size() > 1) {
                    overlaps.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + leaders);
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
        }

        /** Stops sampling and checks: many samples, never two leaders. */
        void assertNeverTwoLeaders() throws InterruptedException {
            close();
            assertTrue(samples.get() > 20, "sampled " + samples.get() + " times");
            assertTrue(overlaps.isEmpty(), "two leaders at once: " + overlaps);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A replica in a JVM of its own (ClusterMember), to be killed with SIGKILL as a crash would. */
    static final class MemberProcess implements AutoCloseable {
        final java.lang.Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        MemberProcess(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), ClusterMember.class.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** The member's last word on its leadership: LEADER, FOLLOWER, or null before it said anything. */
        String state() {
            synchronized (lines) {
                for (int i = lines.size() - 1; i >= 0; i--) {
                    if (lines.get(i).equals("LEADER") || lines.get(i).equals("FOLLOWER")) {
                        return lines.get(i);
                    }
                }
            }
            return null;
        }

        /** SIGKILL: no shutdown hook, no clean close of a socket or a file. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the member process did not die");
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }

        @Override
        public String toString() {
            return "member process " + process.pid() + " " + lines;
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
