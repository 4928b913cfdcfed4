import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The null relay of bench/delivery.sh: the least a service in leadsync's place has to do. JDK only, one file:
 *
 * <pre>
 * java NullRelay.java PORT FAKE_BASE THREADS
 * </pre>
 *
 * {@code POST /leads} with leadsync's body ({@code {"target":"superfone","phone":"+91…","stage":"Qualified"}})
 * is turned at once into the Superfone upsert leadsync sends for it ({@code SuperfoneLeads.request}:
 * {@code {"customer_phone":…,"create_customer_if_customer_phone_not_found":true,"lead_stage_name":…}},
 * header {@code x-api-key}) and sent to {@code FAKE_BASE/superfone/enterprise/api/lead} on one shared JDK
 * {@link HttpClient} (HTTP/1.1, kept-alive). The client gets its answer only after the fake answered: 202
 * {@code {"id":"N"}} if the fake said 2xx, else 502. Nothing else: no durability, no validation beyond
 * finding a phone, no retries, no receipts. {@code GET /health} answers 200.
 * <p>
 * The body is read with a plain string search for the top-level {@code phone} and {@code stage} string
 * fields, which is enough for the flat, escape-free bodies the benchmark sends (a JSON parser would be
 * one more cost a null relay does not need). Like FakeCrm, the server runs {@code com.sun.net.httpserver}
 * with {@code sun.net.httpserver.nodelay=true} and a fixed pool of THREADS handler threads; each handler
 * blocks on its call to the fake, so THREADS is the number of upserts in flight at most (the script passes C).
 * The fake's API key: {@code FAKECRM_API_KEY}, default {@code k}.
 */
public final class NullRelay {

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java NullRelay.java PORT FAKE_BASE THREADS");
            System.exit(2);
        }
        // Without it the JDK server's separate header and body writes meet the client's delayed ACK (see FakeCrm).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        URI upsert = URI.create(args[1] + "/superfone/enterprise/api/lead");
        int threads = Integer.parseInt(args[2]);
        String apiKey = System.getenv().getOrDefault("FAKECRM_API_KEY", "k");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong ids = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.createContext("/leads", x -> {
            try (x) {
                String in = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String phone = stringField(in, "phone");
                if (phone == null) {
                    answer(x, 400, "{\"message\":\"no phone\"}");
                    return;
                }
                String stage = stringField(in, "stage");
                String out = "{\"customer_phone\":\"" + (phone.startsWith("+") ? phone : "+" + phone)
                        + "\",\"create_customer_if_customer_phone_not_found\":true"
                        + (stage == null ? "" : ",\"lead_stage_name\":\"" + stage + "\"") + "}";
                HttpRequest request = HttpRequest.newBuilder(upsert).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("x-api-key", apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString(out)).build();
                int status;
                try {
                    status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    answer(x, 502, "{\"message\":\"fake CRM: " + e.getClass().getSimpleName() + "\"}");
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    answer(x, 503, "{\"message\":\"interrupted\"}");
                    return;
                }
                if (status / 100 == 2) {
                    answer(x, 202, "{\"id\":\"" + ids.incrementAndGet() + "\"}");
                } else {
                    answer(x, 502, "{\"message\":\"fake CRM answered " + status + "\"}");
                }
            }
        });
        server.createContext("/health", x -> {
            try (x) {
                x.getRequestBody().readAllBytes();
                answer(x, 200, "{\"status\":\"UP\"}");
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(Math.max(1, threads)));
        server.start();
        System.out.println("NullRelay on 127.0.0.1:" + port + " -> " + upsert + ", " + threads + " threads");
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The value of a top-level string field in a small, flat JSON body; null when absent (no escapes). */
    private static String stringField(String body, String field) {
        String key = "\"" + field + "\"";
        int at = body.indexOf(key);
        if (at < 0) {
            return null;
        }
        int colon = body.indexOf(':', at + key.length());
        int open = colon < 0 ? -1 : body.indexOf('"', colon + 1);
        int close = open < 0 ? -1 : body.indexOf('"', open + 1);
        return close < 0 ? null : body.substring(open + 1, close);
    }
}
