import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load client of bench/delivery.sh. JDK only, one file, run with {@code java DeliveryLoad.java MODE ...}:
 *
 * <pre>
 * ceiling FAKE_BASE N C [WARMUP]      N x POST FAKE_BASE/superfone/enterprise/api/lead, C at a time
 * submit  LEADSYNC_BASE FAKE_BASE N C DATA_DIR OUT_DIR TIMEOUT_S [WARMUP]
 *                                     N x POST LEADSYNC_BASE/leads, C at a time; then waits (at most
 *                                     TIMEOUT_S) until the fake has answered N lead upserts and every
 *                                     receipt under DATA_DIR/leads/receipts is DELIVERED; reads them
 * </pre>
 *
 * Both modes send the same N Superfone bodies: phone +9190000NNNNN (NNNNN = 00000 .. N-1), stage
 * "Qualified". With WARMUP > 0, WARMUP unmeasured requests (phones N .. N+WARMUP-1) go first, on the same
 * client, and in submit mode must all be DELIVERED before the measured N start. Concurrency is C platform threads, each doing blocking HTTP/1.1 sends in a loop over a
 * shared counter, on one {@link HttpClient} (kept-alive connections, at most about C of them). Times are
 * this machine's wall clock in epoch microseconds ({@link Instant#now()}), the clock leadsync's receipts
 * use too. Prints "key value" lines the script reads, plus human-readable lines starting with "#".
 * <p>
 * CPU: with {@code WATCH_PIDS="name:pid name:pid"} in the environment, the client reads the CPU time
 * (utime + stime, /proc/PID/stat) of those processes, of itself ("client") and of the whole machine
 * (/proc/stat) when it starts sending and when the last answer (ceiling) or the fake's N-th lead upsert
 * (submit) has been seen, and prints them as {@code cpu_NAME_s} plus {@code machine_busy_pct} and
 * {@code machine_iowait_pct} (of all cores, over that window).
 */
public final class DeliveryLoad {

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern ACCEPTED_AT = Pattern.compile("\"acceptedAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern UPDATED_AT = Pattern.compile("\"updatedAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        if ((args.length == 4 || args.length == 5) && args[0].equals("ceiling")) {
            ceiling(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length == 5 ? Integer.parseInt(args[4]) : 0);
        } else if ((args.length == 8 || args.length == 9) && args[0].equals("submit")) {
            submit(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Path.of(args[5]),
                    Path.of(args[6]), Integer.parseInt(args[7]), args.length == 9 ? Integer.parseInt(args[8]) : 0);
        } else {
            System.err.println("usage: java DeliveryLoad.java ceiling FAKE_BASE N C [WARMUP]\n"
                    + "       java DeliveryLoad.java submit LEADSYNC_BASE FAKE_BASE N C DATA_DIR OUT_DIR TIMEOUT_S [WARMUP]");
            System.exit(2);
        }
    }

    static String phone(int i) {
        return String.format(Locale.ROOT, "+9190000%05d", i);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    static long nowMicros() {
        return micros(Instant.now());
    }

    // ---- CPU accounting from /proc ---------------------------------------------------------------------

    static final long TICKS = 100; // USER_HZ; 100 on every Linux this runs on

    static long[] cpuSnapshot(List<String[]> watched) {
        long[] v = new long[watched.size() + 4];
        for (int i = 0; i < watched.size(); i++) {
            v[i] = procTicks(watched.get(i)[1]);
        }
        v[watched.size()] = procTicks("self");
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            v[watched.size() + 1] = total;
            v[watched.size() + 2] = idle;
            v[watched.size() + 3] = iowait;
        } catch (IOException | RuntimeException e) {
            // no /proc: the report says n/a
        }
        return v;
    }

    static long procTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static List<String[]> watched() {
        List<String[]> list = new ArrayList<>();
        String env = System.getenv("WATCH_PIDS");
        if (env != null) {
            for (String item : env.trim().split("\\s+")) {
                String[] kv = item.split(":", 2);
                if (kv.length == 2) {
                    list.add(kv);
                }
            }
        }
        return list;
    }

    static void cpuReport(List<String[]> watched, long[] before, long[] after) {
        int n = watched.size();
        long ours = 0;
        for (int i = 0; i <= n; i++) {
            String name = i < n ? watched.get(i)[0] : "client";
            if (before[i] < 0 || after[i] < 0) {
                System.out.println("cpu_" + name + "_s n/a");
            } else {
                ours += after[i] - before[i];
                System.out.printf(Locale.ROOT, "cpu_%s_s %.2f%n", name, (after[i] - before[i]) / (double) TICKS);
            }
        }
        long total = after[n + 1] - before[n + 1];
        if (total > 0) {
            long idle = after[n + 2] - before[n + 2];
            long iowait = after[n + 3] - before[n + 3];
            long busy = total - idle - iowait;
            System.out.printf(Locale.ROOT, "machine_busy_pct %.1f%nmachine_iowait_pct %.1f%n", 100.0 * busy / total,
                    100.0 * iowait / total);
            // Busy CPU time of the whole machine minus that of the benchmark's own processes: other work.
            System.out.printf(Locale.ROOT, "cpu_other_s %.2f%n", Math.max(0, busy - ours) / (double) TICKS);
        }
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** One request body per index, sent by C threads; what each answer means is up to the caller. */
    interface Sender {
        boolean send(HttpClient http, int index) throws Exception;
    }

    /**
     * Sends requests for indices FROM .. FROM+COUNT-1 with C threads on one client; returns {first send start,
     * last answer end, failures}, epoch micros. latencyMicros[i - from] is each request's round trip.
     */
    static long[] run(HttpClient http, int from, int count, int c, Sender sender, long[] latencyMicros)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger(from);
        int end = from + count;
        AtomicLong failures = new AtomicLong();
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < c; t++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < end; i = next.getAndIncrement()) {
                    long start = nowMicros();
                    first.accumulateAndGet(start, Math::min);
                    boolean ok;
                    try {
                        ok = sender.send(http, i);
                    } catch (Exception e) {
                        ok = false;
                        if (failures.get() < 5) {
                            System.out.println("# request " + i + " failed: " + e);
                        }
                    }
                    long done = nowMicros();
                    last.accumulateAndGet(done, Math::max);
                    latencyMicros[i - from] = done - start;
                    if (!ok) {
                        failures.incrementAndGet();
                    }
                }
            }, "load-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new long[] {first.get(), last.get(), failures.get()};
    }

    static String superfoneBody(int i) {
        return "{\"customer_phone\":\"" + phone(i)
                + "\",\"create_customer_if_customer_phone_not_found\":true,\"lead_stage_name\":\"Qualified\"}";
    }

    // ---- the ceiling: straight to the fake --------------------------------------------------------------

    /** N measured upserts (phones 0..N-1), after WARMUP unmeasured ones (phones N..N+WARMUP-1). */
    static void ceiling(String fakeBase, int n, int c, int warmup) throws Exception {
        URI uri = URI.create(fakeBase + "/superfone/enterprise/api/lead");
        HttpClient http = client();
        Sender sender = (client, i) -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("x-api-key", "k")
                    .POST(HttpRequest.BodyPublishers.ofString(superfoneBody(i))).build();
            HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 && answer.body().contains("\"success\"");
        };
        if (warmup > 0) {
            long[] w = run(http, n, warmup, c, sender, new long[warmup]);
            System.out.printf(Locale.ROOT, "warmup_s %.3f%nwarmup_failures %d%n", (w[1] - w[0]) / 1e6, w[2]);
        }
        long[] latency = new long[n];
        List<String[]> watched = watched();
        long[] cpuBefore = cpuSnapshot(watched);
        long[] r = run(http, 0, n, c, sender, latency);
        cpuReport(watched, cpuBefore, cpuSnapshot(watched));
        double secs = (r[1] - r[0]) / 1e6;
        System.out.printf(Locale.ROOT, "first_send_us %d%nlast_answer_us %d%nelapsed_s %.3f%nfailures %d%n", r[0], r[1],
                secs, r[2]);
        System.out.printf(Locale.ROOT, "updates_per_s %.1f%n", n / secs);
        printPercentiles("request_ms", latency);
        System.out.printf(Locale.ROOT, "# ceiling: %d requests, %d at a time, in %.3f s = %.1f/s; %d failed%n", n, c,
                secs, n / secs, r[2]);
    }

    // ---- leadsync: POST /leads, then wait for the fake and the receipts ------------------------------------

    /** What became of a batch of submitted updates, read from their receipt files. */
    record Receipts(String[] status, long[] acceptedAt, long[] updatedAt, int notFinal) {
    }

    /**
     * N measured updates (phones 0..N-1), after WARMUP unmeasured ones (phones N..N+WARMUP-1) that must all be
     * DELIVERED before the measured ones start.
     */
    static void submit(String leadsyncBase, String fakeBase, int n, int c, Path dataDir, Path outDir, int timeoutS,
            int warmup) throws Exception {
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        URI uri = URI.create(leadsyncBase + "/leads");
        HttpClient http = client();
        Path receiptDir = dataDir.resolve("leads").resolve("receipts");
        if (warmup > 0) {
            String[] warmIds = new String[warmup];
            long[] w = run(http, n, warmup, c, leadPoster(uri, warmIds, n), new long[warmup]);
            if (w[2] > 0) {
                System.out.println("# some warm-up POST /leads failed");
                System.exit(1);
            }
            awaitFake(http, fakeBase, warmup, deadline);
            Receipts warm = awaitReceipts(receiptDir, warmIds, deadline);
            long warmDelivered = Arrays.stream(warm.status()).filter("DELIVERED"::equals).count();
            System.out.printf(Locale.ROOT, "warmup_s %.3f%nwarmup_delivered %d%n", (nowMicros() - w[0]) / 1e6,
                    warmDelivered);
            if (warmDelivered != warmup) {
                System.out.println("# not every warm-up update was DELIVERED");
                System.exit(1);
            }
        }
        long baseline = stats(http, fakeBase).getOrDefault("superfone_lead_requests", 0L);

        String[] ids = new String[n];
        long[] latency = new long[n];
        List<String[]> watched = watched();
        long[] cpuBefore = cpuSnapshot(watched);
        long[] r = run(http, 0, n, c, leadPoster(uri, ids, 0), latency);
        long firstPost = r[0];
        long lastAccept = r[1];
        System.out.printf(Locale.ROOT, "first_post_us %d%nlast_accept_us %d%nsubmit_failures %d%n", firstPost, lastAccept,
                r[2]);
        System.out.printf(Locale.ROOT, "accept_s %.3f%naccepts_per_s %.1f%n", (lastAccept - firstPost) / 1e6,
                n / ((lastAccept - firstPost) / 1e6));
        printPercentiles("post_leads_ms", latency);
        Files.writeString(outDir.resolve("ids.txt"), String.join("\n", Arrays.asList(ids)) + "\n");
        if (r[2] > 0) {
            System.out.println("# some POST /leads failed; not waiting for deliveries");
            System.exit(1);
        }

        Map<String, Long> stats = awaitFake(http, fakeBase, baseline + n, deadline);
        long fakeSeenAt = nowMicros();
        cpuReport(watched, cpuBefore, cpuSnapshot(watched));
        System.out.printf(Locale.ROOT, "fake_lead_requests %d%nfake_lead_ok %d%nfake_distinct_phones %d%n",
                stats.getOrDefault("superfone_lead_requests", 0L), stats.getOrDefault("superfone_lead_ok", 0L),
                stats.getOrDefault("superfone_lead_distinct_phones", 0L));
        System.out.printf(Locale.ROOT, "fake_last_lead_us %d%nfake_count_seen_us %d%n",
                stats.getOrDefault("superfone_lead_last_us", 0L), fakeSeenAt);

        Receipts receipts = awaitReceipts(receiptDir, ids, deadline);
        String[] status = receipts.status();
        long[] acceptedAt = receipts.acceptedAt();
        long[] updatedAt = receipts.updatedAt();
        int delivered = 0;
        int dead = 0;
        long lastDelivered = 0;
        long[] latencies = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if ("DELIVERED".equals(status[i])) {
                delivered++;
                lastDelivered = Math.max(lastDelivered, updatedAt[i]);
                latencies[k++] = updatedAt[i] - acceptedAt[i];
            } else if ("DEAD_LETTER".equals(status[i])) {
                dead++;
            }
        }
        System.out.printf(Locale.ROOT, "receipts_delivered %d%nreceipts_dead_letter %d%nreceipts_not_final %d%n", delivered,
                dead, receipts.notFinal());
        if (delivered == 0) {
            System.exit(1);
        }
        double secs = (lastDelivered - firstPost) / 1e6;
        System.out.printf(Locale.ROOT, "last_delivered_us %d%nelapsed_s %.3f%nupdates_per_s %.1f%n", lastDelivered, secs,
                delivered / secs);
        printPercentiles("accept_to_delivered_ms", Arrays.copyOf(latencies, k));

        // Per second since the first POST: accepted (receipt acceptedAt) and delivered (receipt updatedAt).
        TreeMap<Long, long[]> perSecond = new TreeMap<>();
        StringBuilder each = new StringBuilder("index accepted_us delivered_us (since the first POST)\n");
        for (int i = 0; i < n; i++) {
            if (status[i] == null) {
                continue;
            }
            perSecond.computeIfAbsent((acceptedAt[i] - firstPost) / 1_000_000, x -> new long[2])[0]++;
            if ("DELIVERED".equals(status[i])) {
                perSecond.computeIfAbsent((updatedAt[i] - firstPost) / 1_000_000, x -> new long[2])[1]++;
                each.append(i).append(' ').append(acceptedAt[i] - firstPost).append(' ')
                        .append(updatedAt[i] - firstPost).append('\n');
            }
        }
        StringBuilder timeline = new StringBuilder("second accepted delivered\n");
        perSecond.forEach((sec, v) -> timeline.append(sec).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
        Files.writeString(outDir.resolve("timeline.txt"), timeline);
        Files.writeString(outDir.resolve("receipts.txt"), each);
        System.out.printf(Locale.ROOT, "# leadsync: %d accepted in %.3f s, %d DELIVERED by %.3f s after the first POST "
                + "= %.1f/s%n", n, (lastAccept - firstPost) / 1e6, delivered, secs, delivered / secs);
        if (delivered != n) {
            System.exit(1);
        }
    }

    /** POST /leads for index i; the id goes to ids[i - offset]. */
    static Sender leadPoster(URI uri, String[] ids, int offset) {
        return (http, i) -> {
            String body = "{\"target\":\"superfone\",\"phone\":\"" + phone(i) + "\",\"stage\":\"Qualified\"}";
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = ID.matcher(answer.body());
            if (answer.statusCode() != 202 || !m.find()) {
                System.out.println("# POST /leads " + i + ": HTTP " + answer.statusCode() + " " + answer.body());
                return false;
            }
            ids[i - offset] = m.group(1);
            return true;
        };
    }

    /** Polls the fake's /stats every 20 ms until it has seen TARGET lead upserts or the deadline passes. */
    static Map<String, Long> awaitFake(HttpClient http, String fakeBase, long target, long deadline) throws Exception {
        Map<String, Long> stats = stats(http, fakeBase);
        while (stats.getOrDefault("superfone_lead_requests", 0L) < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = stats(http, fakeBase);
        }
        return stats;
    }

    /** Reads every id's receipt until none is PENDING or missing, or the deadline passes. */
    static Receipts awaitReceipts(Path receiptDir, String[] ids, long deadline) throws Exception {
        int n = ids.length;
        long[] acceptedAt = new long[n];
        long[] updatedAt = new long[n];
        String[] status = new String[n];
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            open.add(i);
        }
        while (true) {
            List<Integer> still = new ArrayList<>();
            for (int i : open) {
                String text;
                try {
                    text = Files.readString(receiptDir.resolve(ids[i] + ".json"), StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    still.add(i);
                    continue;
                }
                Matcher s = STATUS.matcher(text);
                Matcher a = ACCEPTED_AT.matcher(text);
                Matcher u = UPDATED_AT.matcher(text);
                if (!s.find() || !a.find() || !u.find()) {
                    still.add(i); // not a whole receipt (cannot happen with atomic renames, but do not guess)
                    continue;
                }
                status[i] = s.group(1);
                if (status[i].equals("PENDING")) {
                    still.add(i);
                    continue;
                }
                acceptedAt[i] = micros(Instant.parse(a.group(1)));
                updatedAt[i] = micros(Instant.parse(u.group(1)));
            }
            open = still;
            if (open.isEmpty() || System.nanoTime() >= deadline) {
                break;
            }
            Thread.sleep(100);
        }
        return new Receipts(status, acceptedAt, updatedAt, open.size());
    }

    static Map<String, Long> stats(HttpClient http, String fakeBase) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(fakeBase + "/stats"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Long> values = new TreeMap<>();
        for (String line : answer.body().split("\n")) {
            String[] kv = line.trim().split(" ");
            if (kv.length == 2) {
                values.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
    }

    /** Nearest-rank percentiles of micro-second values, printed in ms. */
    static void printPercentiles(String name, long[] micros) {
        long[] v = micros.clone();
        Arrays.sort(v);
        System.out.printf(Locale.ROOT, "%s_p50 %.1f%n%s_p99 %.1f%n%s_max %.1f%n", name, rank(v, 0.50) / 1e3, name,
                rank(v, 0.99) / 1e3, name, v.length == 0 ? 0 : v[v.length - 1] / 1e3);
    }

    static long rank(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int k = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, k - 1))];
    }
}
