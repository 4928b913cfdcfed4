package io.leadsync.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Superfone as leadsync calls it, in the test's JVM: the stage catalog ({@code GET …/enterprise/api/lead-stage}, the
 * fixture) and the lead upsert ({@code POST …/enterprise/api/lead}), which answers 503 to a random share of calls
 * and 200 to the rest, after an optional delay. Every upsert is recorded in arrival order; a 200 counts as applied
 * when it is decided, as a real CRM applies an upsert whether or not its answer reaches the caller.
 *
 * <p>Each leadsync process gets its own base URL, {@code http://localhost:<port>/<caller>/superfone}, so every
 * call says which process made it.
 */
final class FakeSuperfone implements AutoCloseable {

    /** One upsert: who sent it, for which phone, the update's {@code fields.seq} (or -1), its stage, the answer. */
    record Call(String caller, String phone, int seq, String stage, int status) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-superfone");
        thread.setDaemon(true);
        return thread;
    });
    private final byte[] stages;
    private final double failureRate;
    private final long delayMs;
    private final long seed;
    private final Random random;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> arrived = new ConcurrentHashMap<>();

    /**
     * @param failureRate share of upserts answered 503, drawn from a random sequence with {@code seed}
     * @param delayMs how long an upsert takes before it is applied and answered
     */
    FakeSuperfone(double failureRate, long delayMs, long seed) {
        this.failureRate = failureRate;
        this.delayMs = delayMs;
        this.seed = seed;
        this.random = new Random(seed);
        try (InputStream fixture = FakeSuperfone.class.getResourceAsStream("/fixtures/superfone-lead-stages.json")) {
            stages = fixture.readAllBytes();
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL for one leadsync process: {@code LEADSYNC_SUPERFONE_BASE_URL}. */
    String baseUrl(String caller) {
        return "http://localhost:" + server.getAddress().getPort() + "/" + caller + "/superfone";
    }

    long seed() {
        return seed;
    }

    /** Every upsert so far, in arrival order (a 200's place is when it was applied). */
    /** A stage-catalog poll: which replica, when (Unix ms). */
    record Poll(String caller, long at) {
    }

    private final List<Poll> polls = new java.util.concurrent.CopyOnWriteArrayList<>();

    List<Poll> polls() {
        return List.copyOf(polls);
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> successes() {
        return calls().stream().filter(c -> c.status() == 200).toList();
    }

    /** The phones of every upsert from {@code caller} that has arrived so far, answered or not. */
    Set<String> arrivedFrom(String caller) {
        return Set.copyOf(arrived.getOrDefault(caller, Set.of()));
    }

    /** Upserts from {@code caller} that have arrived and not yet been answered. */
    int open(String caller) {
        return open.computeIfAbsent(caller, k -> new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String caller = path.split("/")[1];
            if (exchange.getRequestMethod().equals("GET") && path.endsWith("/superfone/enterprise/api/lead-stage")) {
                polls.add(new Poll(caller, System.currentTimeMillis()));
                answer(exchange, 200, stages);
            } else if (exchange.getRequestMethod().equals("POST") && path.endsWith("/superfone/enterprise/api/lead")) {
                upsert(exchange, caller, JSON.readTree(request));
            } else {
                answer(exchange, 404, "{\"message\":\"no such route\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void upsert(HttpExchange exchange, String caller, JsonNode body) throws IOException {
        AtomicInteger openCalls = open.computeIfAbsent(caller, k -> new AtomicInteger());
        openCalls.incrementAndGet();
        String phone = body.path("customer_phone").asText();
        arrived.computeIfAbsent(caller, k -> ConcurrentHashMap.newKeySet()).add(phone);
        try {
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            int status;
            synchronized (this) {
                status = random.nextDouble() < failureRate ? 503 : 200;
                calls.add(new Call(caller, phone, body.path("seq").asInt(-1), body.path("lead_stage_name").asText(null),
                        status));
            }
            answer(exchange, status, (status == 200 ? "{\"data\":{\"id\":\"" + phone + "\"},\"message\":\"success\"}"
                    : "{\"message\":\"busy, try again\"}").getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            openCalls.decrementAndGet();
        }
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
