import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake Superfone + Truto for leadsync's benchmarks. JDK only, one file:
 *
 * <pre>java bench/fake-crm/FakeCrm.java PORT STAGES PAGE_SIZE</pre>
 *
 * Serves, on 127.0.0.1:PORT,
 * <ul>
 * <li>{@code GET /superfone/enterprise/api/lead-stage?page=N&page_size=M} (header {@code x-api-key}):
 * pages 1..total_pages, page_size capped at PAGE_SIZE;</li>
 * <li>{@code GET /truto/unified/crm/stages?integrated_account_id=A&limit=L[&next_cursor=C]}
 * (header {@code Authorization: Bearer ...}): limit capped at PAGE_SIZE, next_cursor an opaque
 * base64url-encoded offset, null on the last page;</li>
 * <li>{@code POST /superfone/enterprise/api/lead} (header {@code x-api-key}): Superfone's lead upsert, for the
 * delivery benchmark; a JSON body with {@code customer_phone} gets 200
 * {@code {"data":{"id":123},"message":"success"}} at once, anything else a 400;</li>
 * <li>{@code GET /stats}: how many requests each path has answered (plain text), for the scripts; for the
 * lead upserts also how many distinct phones they carried and when the first and the last one arrived
 * (epoch microseconds, this machine's clock);</li>
 * <li>{@code GET /health}: 200 "ok".</li>
 * </ul>
 * Every stage's JSON is built once at start with a StringBuilder; a page is a concatenation of those
 * strings, so the fake costs little CPU next to the service under test. Credentials are checked against
 * FAKECRM_API_KEY (default "k") and FAKECRM_TOKEN (default "t").
 * <p>
 * {@code FAKECRM_SUPERFONE_CATALOG=docs} replaces the Superfone catalog with the one stage of Superfone's
 * documented example (id 9, "Qualified", ACTIVE, NONE); STAGES then sizes the Truto catalog only.
 * {@code FAKECRM_THREADS} sets the handler pool's size (default: twice the number of processors).
 */
public final class FakeCrm {

    private static final String[] SF_TYPES = {"INITIAL", "NONE", "FINAL_POSITIVE", "FINAL_NEGATIVE"};

    private final int stages;
    private final int pageSize;
    private final String apiKey;
    private final String token;
    private final String[] superfoneRows;
    private final String[] trutoRows;
    private final AtomicLong superfoneRequests = new AtomicLong();
    private final AtomicLong trutoRequests = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong leadRequests = new AtomicLong();
    private final AtomicLong leadsOk = new AtomicLong();
    private final Set<String> leadPhones = ConcurrentHashMap.newKeySet();
    private final AtomicLong firstLeadMicros = new AtomicLong();
    private final AtomicLong lastLeadMicros = new AtomicLong();

    FakeCrm(int stages, int pageSize, String apiKey, String token, boolean docsCatalog) {
        this.stages = stages;
        this.pageSize = pageSize;
        this.apiKey = apiKey;
        this.token = token;
        this.superfoneRows = docsCatalog ? new String[] {DOCS_STAGE} : new String[stages];
        this.trutoRows = new String[stages];
        for (int i = 0; i < stages; i++) {
            if (!docsCatalog) {
                superfoneRows[i] = superfoneRow(i);
            }
            trutoRows[i] = trutoRow(i);
        }
    }

    /** The one stage of Superfone's documented lead-stage example. */
    private static final String DOCS_STAGE = "{\"id\":9,\"org_id\":42,\"title\":\"Qualified\",\"status\":\"ACTIVE\","
            + "\"type\":\"NONE\",\"position\":1,\"is_editable\":true,\"identifier\":null,\"created_by\":1,"
            + "\"updated_by\":null,\"created_at\":\"2026-01-15T09:00:00.000Z\",\"updated_at\":\"2026-01-15T09:00:00.000Z\"}";

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java FakeCrm.java PORT STAGES PAGE_SIZE");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int stages = Integer.parseInt(args[1]);
        int pageSize = Integer.parseInt(args[2]);
        if (stages < 0 || pageSize < 1) {
            System.err.println("STAGES must be >= 0 and PAGE_SIZE >= 1");
            System.exit(2);
        }
        // The JDK server writes headers and body separately; without TCP_NODELAY a kept-alive connection
        // waits for the client's delayed ACK (~40 ms on Linux) on every answer. Read before the server
        // classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        String catalog = env("FAKECRM_SUPERFONE_CATALOG", "generated");
        if (!catalog.equals("generated") && !catalog.equals("docs")) {
            System.err.println("FAKECRM_SUPERFONE_CATALOG must be 'generated' or 'docs'");
            System.exit(2);
        }
        int threads = Integer.parseInt(env("FAKECRM_THREADS",
                String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() * 2))));
        FakeCrm crm = new FakeCrm(stages, pageSize, env("FAKECRM_API_KEY", "k"), env("FAKECRM_TOKEN", "t"),
                catalog.equals("docs"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/superfone/enterprise/api/lead-stage", crm::superfone);
        server.createContext("/superfone/enterprise/api/lead", crm::superfoneLead);
        server.createContext("/truto/unified/crm/stages", crm::truto);
        server.createContext("/stats", crm::stats);
        server.createContext("/health", x -> send(x, 200, "text/plain", "ok"));
        server.createContext("/", x -> send(x, 404, "application/json", "{\"message\":\"not found\"}"));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        server.setExecutor(pool);
        server.start();
        System.out.println("FakeCrm listening on 127.0.0.1:" + port + " with " + crm.superfoneRows.length
                + " Superfone and " + stages + " Truto stages, page size cap " + pageSize + ", " + threads + " threads");
    }

    // ---- Superfone ------------------------------------------------------------------------------------

    private void superfone(HttpExchange x) throws IOException {
        try (x) {
            superfoneRequests.incrementAndGet();
            if (!"GET".equals(x.getRequestMethod())) {
                send(x, 405, "application/json", "{\"message\":\"method not allowed\"}");
                return;
            }
            if (!apiKey.equals(x.getRequestHeaders().getFirst("x-api-key"))) {
                rejected.incrementAndGet();
                send(x, 401, "application/json", "{\"message\":\"Invalid API key\"}");
                return;
            }
            Map<String, String> q = query(x);
            int page;
            int size;
            try {
                page = positive(q.get("page"), 1);
                size = Math.min(positive(q.get("page_size"), pageSize), pageSize);
            } catch (IllegalArgumentException e) {
                send(x, 400, "application/json", "{\"message\":\"" + e.getMessage() + "\"}");
                return;
            }
            int count = superfoneRows.length;
            int totalPages = Math.max(1, (count + size - 1) / size);
            long from = (long) (page - 1) * size;
            int start = (int) Math.min(from, count);
            int end = Math.min(start + size, count);
            StringBuilder b = new StringBuilder(64 + (end - start) * 260);
            b.append("{\"data\":{\"rows\":[");
            for (int i = start; i < end; i++) {
                if (i > start) {
                    b.append(',');
                }
                b.append(superfoneRows[i]);
            }
            b.append("],\"total_pages\":").append(totalPages)
                    .append(",\"current_page\":").append(page)
                    .append(",\"page_size\":").append(size)
                    .append(",\"total_items\":").append(count)
                    .append("},\"message\":\"success\"}");
            send(x, 200, "application/json; charset=utf-8", b);
        }
    }

    /**
     * The lead upsert: answers as soon as the body is read. Counts requests, the 200s, the distinct
     * {@code customer_phone}s (a duplicate delivery shows as requests > distinct phones), and the arrival
     * times of the first and the last request.
     */
    private void superfoneLead(HttpExchange x) throws IOException {
        try (x) {
            long now = epochMicros();
            leadRequests.incrementAndGet();
            firstLeadMicros.compareAndSet(0, now);
            lastLeadMicros.accumulateAndGet(now, Math::max);
            if (!"/superfone/enterprise/api/lead".equals(x.getRequestURI().getPath())) {
                send(x, 404, "application/json", "{\"message\":\"not found\"}");
                return;
            }
            if (!"POST".equals(x.getRequestMethod())) {
                send(x, 405, "application/json", "{\"message\":\"method not allowed\"}");
                return;
            }
            if (!apiKey.equals(x.getRequestHeaders().getFirst("x-api-key"))) {
                rejected.incrementAndGet();
                send(x, 401, "application/json", "{\"message\":\"Invalid API key\"}");
                return;
            }
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String phone = stringField(body, "customer_phone");
            if (phone == null || phone.isEmpty()) {
                send(x, 400, "application/json", "{\"message\":\"customer_phone is required\"}");
                return;
            }
            leadPhones.add(phone);
            leadsOk.incrementAndGet();
            send(x, 200, "application/json", "{\"data\":{\"id\":123},\"message\":\"success\"}");
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

    private static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static String superfoneRow(int i) {
        String type = i == 0 ? "INITIAL" : SF_TYPES[1 + (i % 3)];
        StringBuilder b = new StringBuilder(256);
        b.append("{\"id\":").append(i + 1)
                .append(",\"org_id\":42,\"title\":\"Stage ").append(i + 1)
                .append("\",\"status\":\"").append(i % 10 == 9 ? "DISABLED" : "ACTIVE")
                .append("\",\"type\":\"").append(type)
                .append("\",\"position\":").append(i + 1)
                .append(",\"is_editable\":true,\"identifier\":null,\"created_by\":678,\"updated_by\":null,")
                .append("\"created_at\":\"2026-01-15T09:00:00.000Z\",\"updated_at\":\"2026-01-15T09:00:00.000Z\"}");
        return b.toString();
    }

    // ---- Truto ----------------------------------------------------------------------------------------

    private void truto(HttpExchange x) throws IOException {
        try (x) {
            trutoRequests.incrementAndGet();
            if (!"GET".equals(x.getRequestMethod())) {
                send(x, 405, "application/json", "{\"message\":\"method not allowed\"}");
                return;
            }
            if (!("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                rejected.incrementAndGet();
                send(x, 401, "application/json", "{\"error\":\"Unauthorized\",\"message\":\"Invalid API token.\"}");
                return;
            }
            Map<String, String> q = query(x);
            String account = q.get("integrated_account_id");
            if (account == null || account.isBlank()) {
                send(x, 400, "application/json",
                        "{\"error\":\"Bad Request\",\"message\":\"integrated_account_id is required.\"}");
                return;
            }
            int limit;
            int offset;
            try {
                limit = Math.min(positive(q.get("limit"), pageSize), pageSize);
                offset = decodeCursor(q.get("next_cursor"));
            } catch (IllegalArgumentException e) {
                send(x, 400, "application/json", "{\"error\":\"Bad Request\",\"message\":\"" + e.getMessage() + "\"}");
                return;
            }
            int start = Math.min(offset, stages);
            int end = Math.min(start + limit, stages);
            StringBuilder b = new StringBuilder(128 + (end - start) * 420);
            b.append("{\"result\":[");
            for (int i = start; i < end; i++) {
                if (i > start) {
                    b.append(',');
                }
                b.append(trutoRows[i]);
            }
            b.append("],\"next_cursor\":");
            quoteOrNull(b, end < stages ? encodeCursor(end) : null);
            b.append(",\"prev_cursor\":");
            quoteOrNull(b, start > 0 ? encodeCursor(Math.max(0, start - limit)) : null);
            b.append(",\"result_count\":").append(end - start).append(",\"is_partial_response\":false}");
            send(x, 200, "application/json; charset=utf-8", b);
        }
    }

    private static String trutoRow(int i) {
        int pipeline = i / 1000 + 1;
        boolean active = i % 10 != 9;
        StringBuilder b = new StringBuilder(420);
        b.append("{\"id\":\"").append(i + 1)
                .append("\",\"name\":\"Stage ").append(i + 1)
                .append("\",\"position\":").append(i % 1000 + 1)
                .append(",\"status\":\"").append(active ? "active" : "inactive")
                .append("\",\"pipeline\":{\"id\":\"").append(pipeline).append("\",\"name\":\"Pipeline ")
                .append(pipeline).append("\"},")
                .append("\"created_at\":\"2026-01-15T09:00:00.000Z\",\"updated_at\":\"2026-01-15T09:00:00.000Z\",")
                .append("\"remote_data\":{\"id\":").append(i + 1)
                .append(",\"order_nr\":").append(i % 1000 + 1)
                .append(",\"name\":\"Stage ").append(i + 1)
                .append("\",\"active_flag\":").append(active)
                .append(",\"deal_probability\":100,\"pipeline_id\":").append(pipeline)
                .append(",\"rotten_flag\":false,\"rotten_days\":null,")
                .append("\"add_time\":\"2026-01-15 09:00:00\",\"update_time\":\"2026-01-15 09:00:00\"}}");
        return b.toString();
    }

    private static String encodeCursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("offset:")) {
                throw new IllegalArgumentException("invalid cursor");
            }
            int offset = Integer.parseInt(text.substring("offset:".length()));
            if (offset < 0) {
                throw new IllegalArgumentException("invalid cursor");
            }
            return offset;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor");
        }
    }

    private static void quoteOrNull(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
        } else {
            b.append('"').append(s).append('"');
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------------

    private void stats(HttpExchange x) throws IOException {
        try (x) {
            send(x, 200, "text/plain", "superfone_requests " + superfoneRequests.get() + "\ntruto_requests "
                    + trutoRequests.get() + "\nrejected_requests " + rejected.get()
                    + "\nsuperfone_lead_requests " + leadRequests.get()
                    + "\nsuperfone_lead_ok " + leadsOk.get()
                    + "\nsuperfone_lead_distinct_phones " + leadPhones.size()
                    + "\nsuperfone_lead_first_us " + firstLeadMicros.get()
                    + "\nsuperfone_lead_last_us " + lastLeadMicros.get() + "\n");
        }
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> q = new HashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }

    private static int positive(String value, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: " + value);
        }
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1: " + value);
        }
        return n;
    }

    private static void send(HttpExchange x, int status, String type, CharSequence body) throws IOException {
        drain(x.getRequestBody());
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1024];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
