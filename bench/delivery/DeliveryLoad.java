import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load client of bench/delivery.sh and bench/latency.sh. JDK only, one file, run with
 * {@code java DeliveryLoad.java MODE ...}:
 *
 * <pre>
 * ceiling FAKE_BASE N C [WARMUP]      N x POST FAKE_BASE/superfone/enterprise/api/lead, C at a time
 * relay   RELAY_BASE N C [WARMUP]     N x POST RELAY_BASE/leads (NullRelay.java), C at a time; each must be 202
 * submit  LEADSYNC_BASE FAKE_BASE N C OUT_DIR TIMEOUT_S [WARMUP]
 *                                     N x POST LEADSYNC_BASE/leads, C at a time; then waits (at most
 *                                     TIMEOUT_S) until the fake has answered N lead upserts and every
 *                                     receipt (GET /leads/{id}) is final
 * steady  LEADSYNC_BASE FAKE_BASE RATE WARMUP_S DURATION_S OUT_DIR TIMEOUT_S
 *                                     POST LEADSYNC_BASE/leads at a fixed RATE per second (open loop) for
 *                                     WARMUP_S unmeasured + DURATION_S measured seconds; then the same waits
 * </pre>
 *
 * LEADSYNC_BASE may be a comma-separated list of base URLs (several replicas of leadsync on one PostgreSQL):
 * update i is then POSTed to base i mod k, round-robin, and its receipt read from the same base.
 *
 * Every mode sends lead N's update for phone +9190000NNNNN (NNNNN = 00000 ..), stage "Qualified": to leadsync
 * and the relay as leadsync's {@code {"target":"superfone","phone":…,"stage":"Qualified"}}, to the fake as the
 * Superfone upsert leadsync makes of it. With WARMUP > 0, WARMUP unmeasured requests (phones N ..
 * N+WARMUP-1) go first, on the same client, and in submit mode must all be DELIVERED before the measured N
 * start. Closed-loop concurrency (ceiling, relay, submit) is C platform threads, each doing blocking HTTP/1.1
 * sends in a loop over a shared counter, on one {@link HttpClient} (kept-alive connections, at most about C of
 * them). Times are this machine's wall clock in epoch microseconds ({@link Instant#now()}), the clock
 * leadsync's receipts use too. Prints "key value" lines the scripts read, plus human-readable lines starting
 * with "#".
 * <p>
 * Receipts are read with {@code GET /leads/{id}} only once the fake has answered every upsert, so the reads
 * fall outside the measured window and do not load leadsync while it delivers.
 * <p>
 * CPU and memory: with {@code WATCH_PIDS="name:pid name:pid"} in the environment, the client reads the CPU time
 * (utime + stime, /proc/PID/stat) of those processes, of itself ("client") and of the whole machine
 * (/proc/stat) when the measured requests start and when the last answer (ceiling, relay) or the fake's last
 * lead upsert (submit, steady) has been seen, and prints them as {@code cpu_NAME_s} and
 * {@code cpu_NAME_ms_per_update} (CPU ms / measured updates), plus {@code machine_busy_pct} and
 * {@code machine_iowait_pct} (of all cores, over that window), and each watched process's {@code VmRSS} at the
 * end of the window as {@code rss_NAME_mib}. A watched entry may name several pids joined by "+"
 * ({@code leadsync:PID1+PID2}: their CPU and RSS summed), and a pid written {@code ^PID} stands for that process
 * and all its descendants, those already ended and reaped included (utime + stime + cutime + cstime of each:
 * PostgreSQL's postmaster and its backends); the RSS of such a tree is the sum of its processes' Pss
 * (/proc/PID/smaps_rollup), which counts shared memory once.
 */
public final class DeliveryLoad {

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern ACCEPTED_AT = Pattern.compile("\"acceptedAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern UPDATED_AT = Pattern.compile("\"updatedAt\"\\s*:\\s*\"([^\"]+)\"");
    /** The id in POST /leads' answer: a JSON string (leadsync's UUIDs) or a bare number. */
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"?([^\",}\\s]+)");

    /** Threads that read receipts after a run (not measured). */
    private static final int RECEIPT_THREADS = 8;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
        if ((args.length == 4 || args.length == 5) && (mode.equals("ceiling") || mode.equals("relay"))) {
            closedLoop(mode, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length == 5 ? Integer.parseInt(args[4]) : 0);
        } else if ((args.length == 7 || args.length == 8) && mode.equals("submit")) {
            submit(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Path.of(args[5]),
                    Integer.parseInt(args[6]), args.length == 8 ? Integer.parseInt(args[7]) : 0);
        } else if (args.length == 8 && mode.equals("steady")) {
            steady(args[1], args[2], Double.parseDouble(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Path.of(args[6]), Integer.parseInt(args[7]));
        } else {
            System.err.println("usage: java DeliveryLoad.java ceiling FAKE_BASE N C [WARMUP]\n"
                    + "       java DeliveryLoad.java relay RELAY_BASE N C [WARMUP]\n"
                    + "       java DeliveryLoad.java submit LEADSYNC_BASE FAKE_BASE N C OUT_DIR TIMEOUT_S [WARMUP]\n"
                    + "       java DeliveryLoad.java steady LEADSYNC_BASE FAKE_BASE RATE WARMUP_S DURATION_S OUT_DIR TIMEOUT_S");
            System.exit(2);
        }
    }

    static String phone(int i) {
        return String.format(Locale.ROOT, "+9190000%05d", i);
    }

    /** What leadsync (and the relay) get for update i. */
    static String leadBody(int i) {
        return "{\"target\":\"superfone\",\"phone\":\"" + phone(i) + "\",\"stage\":\"Qualified\"}";
    }

    /** What leadsync sends Superfone for update i (SuperfoneLeads.request), sent straight to the fake. */
    static String superfoneBody(int i) {
        return "{\"customer_phone\":\"" + phone(i)
                + "\",\"create_customer_if_customer_phone_not_found\":true,\"lead_stage_name\":\"Qualified\"}";
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    static long nowMicros() {
        return micros(Instant.now());
    }

    static HttpClient client() {
        return client(5);
    }

    static HttpClient client(int connectTimeoutS) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(connectTimeoutS)).build();
    }

    static HttpRequest post(URI uri, String body, boolean apiKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (apiKey) {
            b.header("x-api-key", "k");
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    // ---- CPU and memory from /proc ------------------------------------------------------------------------

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
            v[watched.size() + 1] = total;
            v[watched.size() + 2] = Long.parseLong(f[4]); // idle
            v[watched.size() + 3] = Long.parseLong(f[5]); // iowait
        } catch (IOException | RuntimeException e) {
            // no /proc: the report says n/a
        }
        return v;
    }

    /** CPU ticks of a watched spec: "self", PID, ^PID (a tree), or several joined by "+"; -1 if any is gone. */
    static long procTicks(String spec) {
        long sum = 0;
        for (String part : spec.split("\\+")) {
            long t;
            if (part.startsWith("^")) {
                List<String> pids = tree(part.substring(1));
                t = pids.isEmpty() ? -1 : 0;
                for (String pid : pids) {
                    long[] f = statTimes(pid);
                    t = f == null || t < 0 ? t : t + f[0] + f[1] + f[2] + f[3];
                }
            } else {
                t = onePidTicks(part);
            }
            if (t < 0) {
                return -1;
            }
            sum += t;
        }
        return sum;
    }

    /** utime, stime, cutime, cstime (fields 14-17 of /proc/PID/stat), or null. */
    static long[] statTimes(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** PID and its living descendants (by the parent pid in /proc/N/stat); empty if PID is gone. */
    static List<String> tree(String root) {
        Map<String, List<String>> children = new TreeMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String pid = d.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String ppid = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1];
                    children.computeIfAbsent(ppid, x -> new ArrayList<>()).add(pid);
                } catch (IOException | RuntimeException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        if (!Files.exists(Path.of("/proc", root))) {
            return List.of();
        }
        List<String> all = new ArrayList<>(List.of(root));
        for (int i = 0; i < all.size(); i++) {
            all.addAll(children.getOrDefault(all.get(i), List.of()));
        }
        return all;
    }

    static long onePidTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS in KiB (summed over "+"-joined pids; Pss summed over a ^PID tree), or -1. */
    static long rssKib(String spec) {
        long sum = 0;
        for (String part : spec.split("\\+")) {
            if (part.startsWith("^")) {
                List<String> pids = tree(part.substring(1));
                if (pids.isEmpty()) {
                    return -1;
                }
                for (String pid : pids) {
                    sum += Math.max(0, memoryKib(pid, "smaps_rollup", "Pss:"));
                }
            } else {
                long kib = memoryKib(part, "status", "VmRSS:");
                if (kib < 0) {
                    return -1;
                }
                sum += kib;
            }
        }
        return sum;
    }

    static long memoryKib(String pid, String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, file))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // n/a
        }
        return -1;
    }

    static List<String[]> watched() {
        List<String[]> list = new ArrayList<>();
        String env = System.getenv("WATCH_PIDS");
        if (env != null && !env.isBlank()) {
            for (String item : env.trim().split("\\s+")) {
                String[] kv = item.split(":", 2);
                if (kv.length == 2) {
                    list.add(kv);
                }
            }
        }
        return list;
    }

    /** CPU over the window (per process, per measured update, the machine's) and each watched RSS at its end. */
    static void cpuReport(List<String[]> watched, long[] before, long[] after, int updates) {
        int n = watched.size();
        long ours = 0;
        for (int i = 0; i <= n; i++) {
            String name = i < n ? watched.get(i)[0] : "client";
            if (before[i] < 0 || after[i] < 0) {
                System.out.println("cpu_" + name + "_s n/a");
                System.out.println("cpu_" + name + "_ms_per_update n/a");
            } else {
                long ticks = after[i] - before[i];
                ours += ticks;
                System.out.printf(Locale.ROOT, "cpu_%s_s %.2f%ncpu_%s_ms_per_update %.3f%n", name, ticks / (double) TICKS,
                        name, ticks * 1000.0 / TICKS / updates);
            }
        }
        for (String[] w : watched) {
            long kib = rssKib(w[1]);
            System.out.println("rss_" + w[0] + "_mib " + (kib < 0 ? "n/a" : String.valueOf(kib / 1024)));
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

    // ---- closed loop: C threads, one request each at a time ----------------------------------------------

    /** One request per index, sent by C threads; what each answer means is up to the caller. */
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

    /**
     * ceiling: N upserts straight to the fake; relay: N x POST /leads to the null relay, which answers after the
     * fake did. N measured (phones 0..N-1), after WARMUP unmeasured ones (phones N..N+WARMUP-1).
     */
    static void closedLoop(String mode, String base, int n, int c, int warmup) throws Exception {
        boolean relay = mode.equals("relay");
        URI uri = URI.create(base + (relay ? "/leads" : "/superfone/enterprise/api/lead"));
        HttpClient http = client();
        Sender sender = (client, i) -> {
            HttpResponse<String> answer = client.send(post(uri, relay ? leadBody(i) : superfoneBody(i), !relay),
                    HttpResponse.BodyHandlers.ofString());
            boolean ok = relay ? answer.statusCode() == 202
                    : answer.statusCode() == 200 && answer.body().contains("\"success\"");
            if (!ok) {
                System.out.println("# request " + i + ": HTTP " + answer.statusCode() + " " + answer.body());
            }
            return ok;
        };
        if (warmup > 0) {
            long[] w = run(http, n, warmup, c, sender, new long[warmup]);
            System.out.printf(Locale.ROOT, "warmup_s %.3f%nwarmup_failures %d%n", (w[1] - w[0]) / 1e6, w[2]);
        }
        long[] latency = new long[n];
        List<String[]> watched = watched();
        long[] cpuBefore = cpuSnapshot(watched);
        long[] r = run(http, 0, n, c, sender, latency);
        cpuReport(watched, cpuBefore, cpuSnapshot(watched), n);
        double secs = (r[1] - r[0]) / 1e6;
        System.out.printf(Locale.ROOT, "first_send_us %d%nlast_answer_us %d%nelapsed_s %.3f%nfailures %d%n", r[0], r[1],
                secs, r[2]);
        System.out.printf(Locale.ROOT, "updates_per_s %.1f%n", n / secs);
        printPercentiles("request_ms", latency);
        System.out.printf(Locale.ROOT, "# %s: %d requests, %d at a time, in %.3f s = %.1f/s; %d failed%n", mode, n, c,
                secs, n / secs, r[2]);
    }

    // ---- leadsync, closed loop: POST /leads C at a time, then wait for the fake and the receipts -------------

    /**
     * N measured updates (phones 0..N-1), after WARMUP unmeasured ones (phones N..N+WARMUP-1) that must all be
     * DELIVERED before the measured ones start.
     */
    static void submit(String leadsyncBase, String fakeBase, int n, int c, Path outDir, int timeoutS, int warmup)
            throws Exception {
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        String[] bases = leadsyncBase.split(",");
        URI[] uris = leadUris(bases);
        HttpClient http = client();
        if (warmup > 0) {
            String[] warmIds = new String[warmup];
            long[] w = run(http, n, warmup, c, leadPoster(uris, warmIds, n), new long[warmup]);
            if (w[2] > 0) {
                System.out.println("# some warm-up POST /leads failed");
                System.exit(1);
            }
            awaitFake(http, fakeBase, warmup, deadline);
            Receipts warm = fetchReceipts(http, bases, n, warmIds, deadline);
            int warmDelivered = warm.count("DELIVERED");
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
        long[] r = run(http, 0, n, c, leadPoster(uris, ids, 0), latency);
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
        cpuReport(watched, cpuBefore, cpuSnapshot(watched), n);
        printFake(stats);

        Receipts receipts = fetchReceipts(http, bases, 0, ids, deadline);
        long[] latencies = receipts.deliveredLatencies(0, n);
        int delivered = latencies.length;
        System.out.printf(Locale.ROOT, "receipts_delivered %d%nreceipts_dead_letter %d%nreceipts_not_final %d%n", delivered,
                receipts.count("DEAD_LETTER"), receipts.notFinal());
        if (delivered == 0) {
            System.exit(1);
        }
        long lastDelivered = receipts.lastDelivered(0, n);
        double secs = (lastDelivered - firstPost) / 1e6;
        System.out.printf(Locale.ROOT, "last_delivered_us %d%nelapsed_s %.3f%nupdates_per_s %.1f%n", lastDelivered, secs,
                delivered / secs);
        printPercentiles("accept_to_delivered_ms", latencies);
        writeTimeline(receipts, firstPost, outDir);
        System.out.printf(Locale.ROOT, "# leadsync: %d accepted in %.3f s, %d DELIVERED by %.3f s after the first POST "
                + "= %.1f/s%n", n, (lastAccept - firstPost) / 1e6, delivered, secs, delivered / secs);
        if (delivered != n) {
            System.exit(1);
        }
    }

    /** BASE/leads for each base. */
    static URI[] leadUris(String[] bases) {
        return Arrays.stream(bases).map(b -> URI.create(b + "/leads")).toArray(URI[]::new);
    }

    /** POST /leads for index i, to uris[i mod k]; the id goes to ids[i - offset]. */
    static Sender leadPoster(URI[] uris, String[] ids, int offset) {
        return (http, i) -> {
            HttpResponse<String> answer = http.send(post(uris[i % uris.length], leadBody(i), false),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = ID.matcher(answer.body());
            if (answer.statusCode() != 202 || !m.find()) {
                System.out.println("# POST /leads " + i + ": HTTP " + answer.statusCode() + " " + answer.body());
                return false;
            }
            ids[i - offset] = m.group(1);
            return true;
        };
    }

    // ---- leadsync, open loop: a fixed rate, whatever the answers take -------------------------------------

    /**
     * RATE x (WARMUP_S + DURATION_S) updates, update i sent at start + i / RATE whether or not earlier ones have
     * been answered (sendAsync: a slow answer does not delay the next send, so it cannot lower the offered
     * rate). The first RATE x WARMUP_S are the warm-up: sent, checked, not in the figures. The POST answer time
     * of each update counts from its scheduled send time, so a send the client itself made late still counts
     * the wait. The CPU window runs from the first measured send to the fake's last upsert.
     */
    static void steady(String leadsyncBase, String fakeBase, double rate, int warmupS, int durationS, Path outDir,
            int timeoutS) throws Exception {
        int warm = (int) Math.round(rate * warmupS);
        int n = (int) Math.round(rate * durationS);
        int total = warm + n;
        long deadline = System.nanoTime() + (long) (warmupS + durationS + timeoutS) * 1_000_000_000L;
        String[] bases = leadsyncBase.split(",");
        URI[] uris = leadUris(bases);
        // Open loop: while leadsync is behind, every send opens one more connection; on a saturated machine
        // their handshakes can take seconds, which is slowness to measure, not a failure. 30 s, as a request.
        HttpClient http = client(30);
        long baseline = stats(http, fakeBase).getOrDefault("superfone_lead_requests", 0L);

        String[] ids = new String[total];
        long[] answerMicros = new long[total]; // scheduled send -> answer
        long[] lagMicros = new long[total]; // scheduled send -> sendAsync called
        long[] answeredAt = new long[total]; // epoch micros of the answer
        AtomicLong failures = new AtomicLong();
        CountDownLatch answered = new CountDownLatch(total);
        List<String[]> watched = watched();
        long[] cpuBefore = null;
        long firstMeasured = 0;
        long firstSend = 0;

        long periodNanos = Math.round(1e9 / rate);
        long t0 = System.nanoTime() + 100_000_000L;
        for (int i = 0; i < total; i++) {
            long due = t0 + i * periodNanos;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (i == 0) {
                firstSend = nowMicros();
            }
            if (i == warm) {
                cpuBefore = cpuSnapshot(watched);
                firstMeasured = nowMicros();
            }
            lagMicros[i] = (System.nanoTime() - due) / 1_000;
            int index = i;
            http.sendAsync(post(uris[i % uris.length], leadBody(i), false), HttpResponse.BodyHandlers.ofString()).whenComplete((answer, e) -> {
                answerMicros[index] = (System.nanoTime() - due) / 1_000;
                answeredAt[index] = nowMicros();
                Matcher m = answer == null ? null : ID.matcher(answer.body());
                if (answer != null && answer.statusCode() == 202 && m.find()) {
                    ids[index] = m.group(1);
                } else if (failures.incrementAndGet() <= 5) {
                    System.out.println("# POST /leads " + index + ": "
                            + (answer == null ? String.valueOf(e) : "HTTP " + answer.statusCode() + " " + answer.body()));
                }
                answered.countDown();
            });
        }
        long lastScheduled = nowMicros();
        if (!answered.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            System.out.println("# not every POST /leads was answered before the deadline");
            System.exit(1);
        }
        long lastAnswer = Arrays.stream(answeredAt, warm, total).max().orElse(0);
        System.out.printf(Locale.ROOT, "offered_per_s %.1f%nwarmup_updates %d%nmeasured_updates %d%nsubmit_failures %d%n",
                rate, warm, n, failures.get());
        System.out.printf(Locale.ROOT, "sent_per_s %.1f%naccepts_per_s %.1f%n",
                (n - 1) / ((lastScheduled - firstMeasured) / 1e6), n / ((lastAnswer - firstMeasured) / 1e6));
        printPercentiles("send_lag_ms", Arrays.copyOfRange(lagMicros, warm, total));
        printPercentiles("post_leads_ms", Arrays.copyOfRange(answerMicros, warm, total));
        if (failures.get() > 0) {
            System.out.println("# some POST /leads failed; not waiting for deliveries");
            System.exit(1);
        }

        Map<String, Long> stats = awaitFake(http, fakeBase, baseline + total, deadline);
        cpuReport(watched, cpuBefore, cpuSnapshot(watched), n);
        printFake(stats);

        Receipts receipts = fetchReceipts(http, bases, 0, ids, deadline);
        int deliveredAll = receipts.count("DELIVERED");
        long[] latencies = receipts.deliveredLatencies(warm, total);
        System.out.printf(Locale.ROOT, "receipts_delivered %d%nreceipts_dead_letter %d%nreceipts_not_final %d%n",
                deliveredAll, receipts.count("DEAD_LETTER"), receipts.notFinal());
        long lastDelivered = receipts.lastDelivered(warm, total);
        System.out.printf(Locale.ROOT, "delivered_per_s %.1f%n", latencies.length / ((lastDelivered - firstMeasured) / 1e6));
        printPercentiles("accept_to_delivered_ms", latencies);
        writeTimeline(receipts, firstSend, outDir);
        writeSlices(receipts, warm, total, rate, outDir);
        if (deliveredAll != total) {
            System.exit(1);
        }
    }

    /** Accept -> delivered percentiles per 10 s of the measured schedule, by the updates' send slot. */
    static void writeSlices(Receipts r, int from, int to, double rate, Path outDir) throws IOException {
        int per = (int) Math.max(1, Math.round(rate * 10));
        StringBuilder b = new StringBuilder();
        for (int s = from; s < to; s += per) {
            long[] l = r.deliveredLatencies(s, Math.min(to, s + per));
            Arrays.sort(l);
            b.append(String.format(Locale.ROOT, "%d-%ds:%.0f/%.0f/%.0f ", (s - from) / per * 10,
                    (s - from) / per * 10 + 10, rank(l, 0.5) / 1e3, rank(l, 0.99) / 1e3,
                    l.length == 0 ? 0 : l[l.length - 1] / 1e3));
        }
        Files.writeString(outDir.resolve("slices.txt"), b.toString().trim() + "\n");
    }

    // ---- the fake and the receipts ------------------------------------------------------------------------

    /** Polls the fake's /stats every 20 ms until it has seen TARGET lead upserts or the deadline passes. */
    static Map<String, Long> awaitFake(HttpClient http, String fakeBase, long target, long deadline) throws Exception {
        Map<String, Long> stats = stats(http, fakeBase);
        while (stats.getOrDefault("superfone_lead_requests", 0L) < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
            stats = stats(http, fakeBase);
        }
        return stats;
    }

    static void printFake(Map<String, Long> stats) {
        System.out.printf(Locale.ROOT, "fake_lead_requests %d%nfake_lead_ok %d%nfake_distinct_phones %d%n",
                stats.getOrDefault("superfone_lead_requests", 0L), stats.getOrDefault("superfone_lead_ok", 0L),
                stats.getOrDefault("superfone_lead_distinct_phones", 0L));
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

    /** What became of submitted updates, from their receipts; status null = never read as final. */
    record Receipts(String[] status, long[] acceptedAt, long[] updatedAt, int notFinal) {

        int count(String s) {
            return (int) Arrays.stream(status).filter(s::equals).count();
        }

        /** updatedAt - acceptedAt of the DELIVERED ones among FROM..TO-1, micros. */
        long[] deliveredLatencies(int from, int to) {
            long[] l = new long[to - from];
            int k = 0;
            for (int i = from; i < to; i++) {
                if ("DELIVERED".equals(status[i])) {
                    l[k++] = updatedAt[i] - acceptedAt[i];
                }
            }
            return Arrays.copyOf(l, k);
        }

        long lastDelivered(int from, int to) {
            long last = 0;
            for (int i = from; i < to; i++) {
                if ("DELIVERED".equals(status[i])) {
                    last = Math.max(last, updatedAt[i]);
                }
            }
            return last;
        }
    }

    /**
     * GET /leads/{id} for every id (ids[i] from bases[(offset + i) mod k], the replica that accepted it),
     * RECEIPT_THREADS at a time, in rounds 100 ms apart, until none is PENDING or unknown (404), or the deadline
     * passes. An answer that is not a receipt with a status, acceptedAt and
     * updatedAt stops the client.
     */
    static Receipts fetchReceipts(HttpClient http, String[] bases, int offset, String[] ids, long deadline)
            throws Exception {
        int n = ids.length;
        String[] status = new String[n];
        long[] acceptedAt = new long[n];
        long[] updatedAt = new long[n];
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            open.add(i);
        }
        AtomicLong errors = new AtomicLong();
        while (true) {
            List<Integer> batch = open;
            ConcurrentLinkedQueue<Integer> still = new ConcurrentLinkedQueue<>();
            parallel(batch.size(), RECEIPT_THREADS, k -> {
                int i = batch.get(k);
                try {
                    String base = bases[(offset + i) % bases.length]; // the replica that accepted update offset + i
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/leads/" + ids[i]))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 404) {
                        still.add(i);
                        return;
                    }
                    String text = answer.body();
                    Matcher s = STATUS.matcher(text);
                    Matcher a = ACCEPTED_AT.matcher(text);
                    Matcher u = UPDATED_AT.matcher(text);
                    if (answer.statusCode() != 200 || !s.find() || !a.find() || !u.find()) {
                        System.out.println("# GET /leads/" + ids[i] + ": HTTP " + answer.statusCode()
                                + ", not a receipt with status, acceptedAt and updatedAt: " + text);
                        System.exit(1);
                    }
                    if (s.group(1).equals("PENDING")) {
                        still.add(i);
                        return;
                    }
                    status[i] = s.group(1);
                    acceptedAt[i] = micros(Instant.parse(a.group(1)));
                    updatedAt[i] = micros(Instant.parse(u.group(1)));
                } catch (IOException e) {
                    if (errors.incrementAndGet() <= 5) {
                        System.out.println("# GET /leads/" + ids[i] + " failed (tried again): " + e);
                    }
                    still.add(i);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    still.add(i);
                }
            });
            open = new ArrayList<>(still);
            if (open.isEmpty() || System.nanoTime() >= deadline) {
                break;
            }
            Thread.sleep(100);
        }
        return new Receipts(status, acceptedAt, updatedAt, open.size());
    }

    /** Runs body(0 .. count-1) on THREADS threads and waits for all. */
    static void parallel(int count, int threads, IntConsumer body) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < Math.min(threads, count); t++) {
            Thread thread = new Thread(() -> {
                for (int k = next.getAndIncrement(); k < count; k = next.getAndIncrement()) {
                    body.accept(k);
                }
            });
            list.add(thread);
            thread.start();
        }
        for (Thread thread : list) {
            thread.join();
        }
    }

    /** Per second since START (epoch micros): accepted (receipt acceptedAt) and delivered (receipt updatedAt). */
    static void writeTimeline(Receipts r, long start, Path outDir) throws IOException {
        TreeMap<Long, long[]> perSecond = new TreeMap<>();
        for (int i = 0; i < r.status().length; i++) {
            if (r.status()[i] == null) {
                continue;
            }
            perSecond.computeIfAbsent(Math.floorDiv(r.acceptedAt()[i] - start, 1_000_000), x -> new long[2])[0]++;
            if ("DELIVERED".equals(r.status()[i])) {
                perSecond.computeIfAbsent(Math.floorDiv(r.updatedAt()[i] - start, 1_000_000), x -> new long[2])[1]++;
            }
        }
        StringBuilder timeline = new StringBuilder("second accepted delivered\n");
        perSecond.forEach((sec, v) -> timeline.append(sec).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
        Files.writeString(outDir.resolve("timeline.txt"), timeline);
    }

    /** Nearest-rank percentiles of micro-second values, printed in ms. */
    static void printPercentiles(String name, long[] micros) {
        long[] v = micros.clone();
        Arrays.sort(v);
        System.out.printf(Locale.ROOT, "%s_p50 %.1f%n%s_p90 %.1f%n%s_p99 %.1f%n%s_max %.1f%n", name,
                rank(v, 0.50) / 1e3, name, rank(v, 0.90) / 1e3, name, rank(v, 0.99) / 1e3, name,
                v.length == 0 ? 0 : v[v.length - 1] / 1e3);
    }

    static long rank(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int k = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, k - 1))];
    }
}
