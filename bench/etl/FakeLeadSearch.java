import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake TeleCRM lead search for leadsync's ETL export benchmark. JDK only, one file:
 *
 * <pre>java bench/etl/FakeLeadSearch.java PORT LEADS</pre>
 *
 * Serves, on 127.0.0.1:PORT,
 * <ul>
 * <li>{@code POST <any prefix>/enterprise/<enterpriseId>/lead/search?skip=S&limit=L} (header
 * {@code Authorization: Bearer <token>}, else 401): TeleCRM's lead search over LEADS generated leads, newest
 * first. {@code limit} must be 1..100 (else 400 {@code {"message":"Limit should be between 1 and 100"}}), {@code skip}
 * defaults to 0 and {@code limit} to 10 as in TeleCRM's docs. Answers {@code {"data":[…],"total_count":T}}. A body
 * with {@code fields.created_on.from} / {@code .to} (epoch ms, inclusive) narrows the leads; any other body (an
 * empty one included) matches every lead;</li>
 * <li>{@code GET /stats}: requests served (plain text, {@code name value} per line), also printed at exit: searches,
 * rows, rejections, other paths, the arrival of the first and the last search and the end of the last answer
 * (epoch µs), and {@code tenths_us}: ten arrival times, of the first search whose {@code skip} reached 0/10, 1/10 …
 * 9/10 of its {@code total_count}, and {@code tenths_skip}: their {@code skip}s (how the pace of a walk changes
 * from its start to its end);</li>
 * <li>{@code GET /health}: 200 "ok".</li>
 * </ul>
 * Lead k (1..LEADS, k = LEADS is the newest) is {@code {"id":"lead-k","fields":{"name":"Lead k",
 * "phone":"+9198<k, 8 digits>","email":"lead.k@example.com","status":"Fresh","created_on":BASE + k * 1000,
 * "city":…,"budget":…,"campaign":…}}}: rows are generated from skip/limit on each request, so no lead is kept in
 * memory and a million leads cost nothing. The rows hold no line break (a CSV cell of leadsync's export
 * spans one line); {@code city} holds a comma and {@code campaign} a double quote, so CSV quoting is exercised.
 * <p>
 * Credentials: FAKETELECRM_TOKEN (default "t"). FAKETELECRM_THREADS sets the handler pool (default 2).
 */
public final class FakeLeadSearch {

    /** created_on of lead 0 (which does not exist): lead k was created at BASE + k seconds. */
    static final long BASE_MS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    static final long STEP_MS = 1_000L;

    private static final String[] CITIES = {"Pune, MH", "Bengaluru, KA", "Chennai, TN", "Jaipur, RJ", "Kochi, KL"};
    private static final Pattern CREATED_ON = Pattern.compile("\"created_on\"\\s*:\\s*\\{([^}]*)\\}");
    private static final Pattern FROM = Pattern.compile("\"from\"\\s*:\\s*(\"?)(-?\\d+)\\1\\s*[,}]?");
    private static final Pattern TO = Pattern.compile("\"to\"\\s*:\\s*(\"?)(-?\\d+)\\1\\s*[,}]?");

    private final long leads;
    private final String token;
    private final AtomicLong searchRequests = new AtomicLong();
    private final AtomicLong searchOk = new AtomicLong();
    private final AtomicLong filteredRequests = new AtomicLong();
    private final AtomicLong rowsServed = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicLong otherRequests = new AtomicLong();
    private final AtomicLong firstSearchMicros = new AtomicLong();
    private final AtomicLong lastSearchMicros = new AtomicLong();
    private final AtomicLong lastAnswerMicros = new AtomicLong();
    /** Slot d: arrival of the first search whose skip reached d tenths of its total_count (d = 0..9). */
    private final AtomicLongArray tenthMicros = new AtomicLongArray(10);
    /** Slot d: the skip of that search. */
    private final AtomicLongArray tenthSkip = new AtomicLongArray(10);

    FakeLeadSearch(long leads, String token) {
        this.leads = leads;
        this.token = token;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java FakeLeadSearch.java PORT LEADS");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long leads = Long.parseLong(args[1]);
        if (leads < 0 || leads > 99_999_999L) {
            System.err.println("LEADS must be 0..99999999 (phones are +9198 and 8 digits)");
            System.exit(2);
        }
        // The JDK server writes headers and body separately; without TCP_NODELAY a kept-alive connection
        // waits for the client's delayed ACK (~40 ms on Linux) on every answer (see FakeCrm.java).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        FakeLeadSearch crm = new FakeLeadSearch(leads, env("FAKETELECRM_TOKEN", "t"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/stats", crm::stats);
        server.createContext("/health", x -> send(x, 200, "text/plain", "ok"));
        server.createContext("/", crm::route);
        int threads = Integer.parseInt(env("FAKETELECRM_THREADS", "2"));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        server.setExecutor(pool);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.print("FakeLeadSearch stopping; stats:\n"
                + crm.statsText())));
        server.start();
        System.out.println("FakeLeadSearch listening on 127.0.0.1:" + port + " with " + leads + " leads (created_on "
                + (BASE_MS + STEP_MS) + ".." + (BASE_MS + leads * STEP_MS) + "), " + threads + " threads");
    }

    // ---- POST …/enterprise/{id}/lead/search ---------------------------------------------------------------

    private void route(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (path.endsWith("/lead/search") && path.contains("/enterprise/")) {
                search(x);
            } else {
                otherRequests.incrementAndGet();
                send(x, 404, "application/json", "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such path in FakeLeadSearch: "
                        + path.replace("\"", "") + "\"}}");
            }
        }
    }

    private void search(HttpExchange x) throws IOException {
        long arrived = epochMicros();
        searchRequests.incrementAndGet();
        firstSearchMicros.compareAndSet(0, arrived);
        lastSearchMicros.accumulateAndGet(arrived, Math::max);
        if (!"POST".equals(x.getRequestMethod())) {
            badRequests.incrementAndGet();
            send(x, 405, "application/json", "{\"message\":\"method not allowed\"}");
            return;
        }
        if (!("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            unauthorized.incrementAndGet();
            send(x, 401, "application/json", "{\"error\":{\"code\":\"NOT_AUTHORIZED\",\"message\":\"Invalid token\"}}");
            return;
        }
        Map<String, String> q = query(x);
        long skip;
        long limit;
        try {
            skip = number(q.get("skip"), 0);
            limit = number(q.get("limit"), 10);
        } catch (NumberFormatException e) {
            badRequests.incrementAndGet();
            send(x, 400, "application/json", "{\"message\":\"skip and limit must be whole numbers\"}");
            return;
        }
        if (limit < 1 || limit > 100) {
            badRequests.incrementAndGet();
            send(x, 400, "application/json", "{\"message\":\"Limit should be between 1 and 100\"}");
            return;
        }
        if (skip < 0) {
            badRequests.incrementAndGet();
            send(x, 400, "application/json", "{\"message\":\"skip must not be negative\"}");
            return;
        }
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        // The leads that match, as a range of k: lo..hi (newest first, so position p is lead hi - p).
        long lo = 1;
        long hi = leads;
        Matcher created = CREATED_ON.matcher(body);
        if (created.find()) {
            filteredRequests.incrementAndGet();
            Matcher from = FROM.matcher(created.group(1));
            if (from.find()) { // created_on >= from  <=>  k >= ceil((from - BASE) / STEP)
                lo = Math.max(lo, Math.floorDiv(Long.parseLong(from.group(2)) - BASE_MS + STEP_MS - 1, STEP_MS));
            }
            Matcher to = TO.matcher(created.group(1));
            if (to.find()) { // created_on <= to  <=>  k <= floor((to - BASE) / STEP)
                hi = Math.min(hi, Math.floorDiv(Long.parseLong(to.group(2)) - BASE_MS, STEP_MS));
            }
        }
        long total = Math.max(0, hi - lo + 1);
        if (skip < total) {
            int tenth = (int) (skip * 10 / total);
            if (tenthMicros.compareAndSet(tenth, 0, arrived)) {
                tenthSkip.set(tenth, skip);
            }
        }
        long end = Math.min(total, skip + limit);
        StringBuilder b = new StringBuilder(64 + (int) Math.max(0, end - skip) * 300);
        b.append("{\"data\":[");
        for (long p = skip; p < end; p++) {
            if (p > skip) {
                b.append(',');
            }
            row(b, hi - p);
        }
        b.append("],\"total_count\":").append(total).append('}');
        rowsServed.addAndGet(Math.max(0, end - skip));
        send(x, 200, "application/json; charset=utf-8", b);
        searchOk.incrementAndGet();
        lastAnswerMicros.accumulateAndGet(epochMicros(), Math::max);
    }

    /** Lead k, generated: the same k always gives the same row. */
    static void row(StringBuilder b, long k) {
        b.append("{\"id\":\"lead-").append(k)
                .append("\",\"fields\":{\"name\":\"Lead ").append(k)
                .append("\",\"phone\":\"+9198");
        String digits = Long.toString(k);
        for (int i = digits.length(); i < 8; i++) {
            b.append('0');
        }
        b.append(digits)
                .append("\",\"email\":\"lead.").append(k).append("@example.com\"")
                .append(",\"status\":\"Fresh\"")
                .append(",\"created_on\":").append(BASE_MS + k * STEP_MS)
                .append(",\"city\":\"").append(CITIES[(int) (k % CITIES.length)])
                .append("\",\"budget\":\"").append(25_000 + (k % 40) * 5_000)
                .append("\",\"campaign\":\"Diwali \\\"").append(2020 + k % 6).append("\\\" offer\"}}");
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private String statsText() {
        return "leads " + leads
                + "\nsearch_requests " + searchRequests.get()
                + "\nsearch_ok " + searchOk.get()
                + "\nsearch_filtered " + filteredRequests.get()
                + "\nrows_served " + rowsServed.get()
                + "\nunauthorized " + unauthorized.get()
                + "\nbad_requests " + badRequests.get()
                + "\nother_requests " + otherRequests.get()
                + "\nfirst_search_us " + firstSearchMicros.get()
                + "\nlast_search_us " + lastSearchMicros.get()
                + "\nlast_answer_us " + lastAnswerMicros.get()
                + "\ntenths_us " + tenths(tenthMicros) + "\ntenths_skip " + tenths(tenthSkip) + "\n";
    }

    /** The ten slots, space-separated (0 where no search started in that tenth). */
    private static String tenths(AtomicLongArray slots) {
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < 10; d++) {
            b.append(d == 0 ? "" : " ").append(slots.get(d));
        }
        return b.toString();
    }

    private void stats(HttpExchange x) throws IOException {
        try (x) {
            send(x, 200, "text/plain", statsText());
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

    private static long number(String value, long fallback) {
        return value == null || value.isEmpty() ? fallback : Long.parseLong(value.trim());
    }

    private static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
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
