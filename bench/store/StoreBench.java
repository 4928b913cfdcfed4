import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The helper of bench/store.sh: seeds leadsync's SQLite store with JDBC, reads its sizes, watches a prune, and
 * loads the read API. One file, run as {@code java [-cp sqlite-jdbc.jar] StoreBench.java MODE ...}:
 *
 * <pre>
 * seed  DB META_DIR TAG N_FINISHED N_LETTERS DAYS RANDOM_SEED
 *       inserts N_FINISHED finished (DELIVERED) lead_update rows with updated_at spread over the last DAYS days
 *       and N_LETTERS dead_letter rows, in transactions of 50,000 rows; ids are time-ordered UUIDs (the layout of
 *       io.leadsync.storage.TimeOrderedIds) of each row's time. Writes META_DIR/TAG.updates (id and target of
 *       every update) and META_DIR/TAG.letters (id, target, reason of every letter) for the load client.
 * stats DB [BEFORE_MS]
 *       file sizes (taken before opening), row counts, pages, free pages, bytes per table and index (dbstat);
 *       with BEFORE_MS also the number of finished updates last changed before it.
 * plans DB
 *       SQLite's query plan of every statement the load client makes leadsync run (and of the prune's), and the time
 *       each takes SQLite alone: run here, one thread, every column read.
 * watch DB LOG TIMEOUT_S
 *       while leadsync prunes: polls the lowest seq of lead_update (one index step) every 50 ms until LOG holds
 *       "Pruned N finished lead updates"; prints when the first deletion was seen, the poll before it, and the log
 *       line's own time stamp (parsed in this JVM's time zone: run it with leadsync's environment).
 * load  BASE_URL META_DIR TAG C REQUESTS WARMUP
 *       C threads on one JDK HttpClient (HTTP/1.1, kept-alive): WARMUP unmeasured requests of every kind, then
 *       REQUESTS measured requests of each kind in turn; every answer is checked against the seed.
 * </pre>
 *
 * Prints "key value" lines the script reads, and human-readable lines starting with "#". Any wrong count or
 * answer ends it with exit status 1 and a line starting with "FAIL".
 */
public final class StoreBench {

    static final String[] TARGETS = {"telecrm", "superfone", "truto:acc-1"};
    static final int[] TARGET_WEIGHTS = {40, 35, 25};
    static final String[] REASONS = {"VALIDATION", "REJECTED", "UNREACHABLE", "UNAUTHORIZED", "PARTIAL"};
    static final int[] REASON_WEIGHTS = {20, 30, 35, 10, 5};
    static final int BATCH = 50_000;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
        try {
            switch (mode) {
                case "seed" -> seed(Path.of(args[1]), Path.of(args[2]), args[3], Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]), Double.parseDouble(args[6]), Long.parseLong(args[7]));
                case "stats" -> stats(Path.of(args[1]), args.length > 2 ? Long.parseLong(args[2]) : -1);
                case "plans" -> plans(Path.of(args[1]));
                case "watch" -> watch(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
                case "load" -> load(args[1], Path.of(args[2]), args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                        Integer.parseInt(args[6]));
                default -> {
                    System.err.println("usage: see the comment at the top of StoreBench.java");
                    System.exit(2);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            System.err.println("usage: see the comment at the top of StoreBench.java (" + e + ")");
            System.exit(2);
        }
    }

    static void fail(String message) {
        System.out.println("FAIL " + message);
        System.out.flush();
        System.exit(1);
    }

    // ---- seeding --------------------------------------------------------------------------------------------

    /** A time-ordered UUID like TimeOrderedIds.next(), for the given millisecond. */
    static UUID timeOrdered(long millis, SplittableRandom random) {
        long high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    static int pick(int[] weights, SplittableRandom random) {
        int total = Arrays.stream(weights).sum();
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            if ((r -= weights[i]) < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    static final String[] FIRST = {"Asha", "Ravi", "Priya", "Arjun", "Meera", "Kiran", "Sunil", "Divya", "Rahul", "Neha"};
    static final String[] LAST = {"Verma", "Iyer", "Shah", "Reddy", "Nair", "Gupta", "Das", "Menon", "Kapoor", "Rao"};
    static final String[] CITIES = {"Pune", "Mumbai", "Bengaluru", "Chennai", "Hyderabad", "Delhi", "Kochi", "Jaipur"};
    static final String[] STAGES = {"Qualified", "Contacted", "Demo Scheduled", "Negotiation", "Won", "Lost"};

    /** A lead update as leadsync stores it (LeadUpdate's JSON, nulls left out): about 200 bytes. */
    static String body(String target, long lead, SplittableRandom random) {
        return body(target, lead, "+9190" + (10_000_000 + lead), random);
    }

    /** The same with the lead's phone given (E.164). */
    static String body(String target, long lead, String phone, SplittableRandom random) {
        String first = FIRST[(int) (lead % FIRST.length)];
        String last = LAST[(int) ((lead / FIRST.length) % LAST.length)];
        String stage = STAGES[random.nextInt(STAGES.length)];
        return "{\"target\":\"" + target + "\",\"leadId\":\"L" + lead + "\",\"phone\":\"" + phone
                + "\",\"name\":\"" + first + " " + last + "\",\"email\":\"" + first.toLowerCase(Locale.ROOT) + "." + lead
                + "@example.com\",\"stage\":\"" + stage + "\"" + (stage.equals("Lost") ? ",\"lostReason\":\"Budget\"" : "")
                + ",\"fields\":{\"city\":\"" + CITIES[(int) (lead % CITIES.length)] + "\",\"campaign\":\"diwali-2026\","
                + "\"budget\":\"" + (10 + lead % 40) + "-" + (15 + lead % 40) + "L\"}}";
    }

    static void seed(Path db, Path metaDir, String tag, int nFinished, int nLetters, double days, long seed) throws Exception {
        if (!Files.isRegularFile(db)) {
            fail("no store at " + db + ": start leadsync on its data dir once first (Flyway creates the schema)");
        }
        Files.createDirectories(metaDir);
        SplittableRandom random = new SplittableRandom(seed);
        long now = System.currentTimeMillis();
        long span = (long) (days * 86_400_000L);
        long start = now - span;
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                // A seeding tool: no fsync per commit (WAL with synchronous=NORMAL syncs at checkpoints only),
                // a large page cache. leadsync itself runs with synchronous=FULL.
                s.execute("pragma journal_mode=WAL");
                s.execute("pragma synchronous=NORMAL");
                s.execute("pragma cache_size=-262144");
            }
            long before = count(c, "lead_update");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into lead_update (id, crm, target, lead_key, status,"
                    + " attempts, target_lead_id, remarks, error, accepted_at, updated_at, origin, body, owner)"
                    + " values (?, ?, ?, ?, 'DELIVERED', ?, ?, ?, null, ?, ?, ?, ?, null)");
                    DataOutputStream meta = new DataOutputStream(new BufferedOutputStream(
                            Files.newOutputStream(metaDir.resolve(tag + ".updates")), 1 << 16))) {
                meta.writeInt(nFinished);
                // Evenly spaced acceptance times (plus jitter within a step), so ids and seqs grow together.
                double step = (span - 10_000.0) / Math.max(1, nFinished);
                for (int i = 0; i < nFinished; i++) {
                    long accepted = start + (long) (i * step) + (step >= 2 ? random.nextLong((long) step) : 0);
                    long updated = accepted + 40 + random.nextInt(3000);
                    int t = pick(TARGET_WEIGHTS, random);
                    String target = TARGETS[t];
                    long lead = random.nextLong(200_000);
                    UUID id = timeOrdered(accepted, random);
                    int p = 0;
                    insert.setString(++p, id.toString());
                    insert.setString(++p, target.split(":", 2)[0]);
                    insert.setString(++p, target);
                    insert.setString(++p, target + "|id:L" + lead);
                    insert.setInt(++p, random.nextInt(20) == 0 ? 2 + random.nextInt(2) : 1);
                    insert.setString(++p, (t == 0 ? "tc-" : t == 1 ? "sf-" : "pd-") + (900_000 + lead));
                    if (t == 0 && random.nextInt(50) == 0) {
                        insert.setString(++p, "[{\"field\":\"budget\",\"status\":\"IGNORED\",\"remark\":\"no such field in the form\"}]");
                    } else {
                        insert.setNull(++p, Types.VARCHAR);
                    }
                    insert.setLong(++p, accepted);
                    insert.setLong(++p, updated);
                    insert.setString(++p, random.nextInt(10) == 0 ? "file leads-" + (i / 5000) + ".jsonl line " + (i % 5000 + 1)
                            : "POST /leads");
                    insert.setString(++p, body(target, lead, random));
                    insert.addBatch();
                    meta.writeLong(id.getMostSignificantBits());
                    meta.writeLong(id.getLeastSignificantBits());
                    meta.writeByte(t);
                    if ((i + 1) % 1000 == 0 || i == nFinished - 1) {
                        insert.executeBatch();
                    }
                    if ((i + 1) % BATCH == 0 || i == nFinished - 1) {
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            checkpoint(c);
            long t1 = System.nanoTime();
            long sizeAfterUpdates = Files.size(db);
            long beforeLetters = count(c, "dead_letter");
            c.setAutoCommit(false);
            List<long[]> letters = new ArrayList<>();
            try (PreparedStatement insert = c.prepareStatement("insert into dead_letter (id, update_id, target, reason,"
                    + " http_status, attempts, failed_at, error, body, origin, raw) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)")) {
                double step = (span - 10_000.0) / Math.max(1, nLetters);
                for (int i = 0; i < nLetters; i++) {
                    long failed = start + (long) (i * step) + (step >= 2 ? random.nextLong((long) step) : 0);
                    int t = pick(TARGET_WEIGHTS, random);
                    int r = pick(REASON_WEIGHTS, random);
                    String target = TARGETS[t];
                    String reason = REASONS[r];
                    long lead = random.nextLong(200_000);
                    UUID id = timeOrdered(failed, random);
                    Integer http = letterHttp(reason, random);
                    String error = letterError(reason, target, http);
                    int p = 0;
                    insert.setString(++p, id.toString());
                    insert.setString(++p, timeOrdered(failed - 1000 - random.nextInt(60_000), random).toString());
                    insert.setString(++p, target);
                    insert.setString(++p, reason);
                    if (http == null) {
                        insert.setNull(++p, Types.INTEGER);
                    } else {
                        insert.setInt(++p, http);
                    }
                    insert.setInt(++p, reason.equals("UNREACHABLE") ? 6 : 1);
                    insert.setLong(++p, failed);
                    insert.setString(++p, error);
                    insert.setString(++p, body(target, lead, random));
                    insert.setString(++p, random.nextInt(10) == 0 ? "file leads-" + (i / 5000) + ".jsonl line " + (i % 5000 + 1)
                            : "POST /leads");
                    insert.addBatch();
                    letters.add(new long[] {id.getMostSignificantBits(), id.getLeastSignificantBits(), t, r});
                    if ((i + 1) % 1000 == 0 || i == nLetters - 1) {
                        insert.executeBatch();
                    }
                    if ((i + 1) % BATCH == 0 || i == nLetters - 1) {
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            if (nLetters > 0) {
                try (DataOutputStream meta = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(metaDir.resolve(tag + ".letters")), 1 << 16))) {
                    meta.writeInt(letters.size());
                    for (long[] l : letters) {
                        meta.writeLong(l[0]);
                        meta.writeLong(l[1]);
                        meta.writeByte((int) l[2]);
                        meta.writeByte((int) l[3]);
                    }
                }
            }
            checkpoint(c);
            long t2 = System.nanoTime();
            long updates = count(c, "lead_update") - before;
            long deadLetters = count(c, "dead_letter") - beforeLetters;
            if (updates != nFinished || deadLetters != nLetters) {
                fail("seeded " + updates + " updates and " + deadLetters + " dead letters, not " + nFinished + " and " + nLetters);
            }
            System.out.printf(Locale.ROOT, "seed_updates_s %.2f%nseed_letters_s %.2f%nseed_total_s %.2f%n", (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, (t2 - t0) / 1e9);
            System.out.println("seed_size_after_updates " + sizeAfterUpdates);
            System.out.println("seed_oldest_updated_at " + start);
            System.out.println("seed_newest_updated_at " + now);
        }
    }

    /** The HTTP status a dead letter of this reason carries (null: none, e.g. a time-out). */
    static Integer letterHttp(String reason, SplittableRandom random) {
        return switch (reason) {
            case "REJECTED" -> random.nextBoolean() ? 400 : 422;
            case "UNREACHABLE" -> random.nextInt(3) == 0 ? null : 503;
            case "UNAUTHORIZED" -> 401;
            case "PARTIAL" -> 200;
            default -> null;
        };
    }

    /** The error text of a dead letter of this reason. */
    static String letterError(String reason, String target, Integer http) {
        return switch (reason) {
            case "VALIDATION" -> "stage 'Site Visit' is not in " + target + "'s catalog; valid: Qualified, Contacted, Won, Lost";
            case "REJECTED" -> "HTTP " + http + ": {\"message\":\"customer_phone is invalid\",\"code\":\"INVALID_PHONE\"}";
            case "UNREACHABLE" -> http == null ? "read timed out after 15000 ms (6 attempts)" : "HTTP 503: upstream unavailable (6 attempts)";
            case "UNAUTHORIZED" -> "HTTP 401: {\"message\":\"invalid api key\"}";
            default -> "the CRM dropped field budget: IGNORED (no such field in the form)";
        };
    }

    /** Moves the WAL into the database file and truncates it (the file sizes then say what the store holds). */
    static void checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("pragma wal_checkpoint(TRUNCATE)")) {
            rows.next();
            if (rows.getInt(1) != 0) {
                fail("the WAL checkpoint was blocked (is leadsync running on this store?)");
            }
        }
    }

    static long count(Connection c, String table) throws SQLException {
        return single(c, "select count(*) from " + table);
    }

    static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    // ---- sizes and plans -----------------------------------------------------------------------------------

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1; // absent
        }
    }

    static void stats(Path db, long beforeMs) throws SQLException {
        // Sizes first: opening the store creates its -wal and -shm files.
        System.out.println("file_db_bytes " + size(db));
        System.out.println("file_wal_bytes " + size(Path.of(db + "-wal")));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            System.out.println("rows_lead_update " + count(c, "lead_update"));
            System.out.println("rows_dead_letter " + count(c, "dead_letter"));
            System.out.println("page_size " + single(c, "pragma page_size"));
            System.out.println("page_count " + single(c, "pragma page_count"));
            System.out.println("freelist_count " + single(c, "pragma freelist_count"));
            if (beforeMs >= 0) {
                System.out.println("rows_finished_before " + single(c,
                        "select count(*) from lead_update where status <> 'PENDING' and updated_at < " + beforeMs));
            }
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                    "select name, count(*), sum(pgsize), sum(unused) from dbstat group by name having count(*) > 1"
                            + " order by sum(pgsize) desc")) { // the one-page tables and indexes left out
                while (rows.next()) {
                    System.out.printf(Locale.ROOT, "# %-34s %8d pages %9.1f MiB (%4.1f%% of them unused)%n", rows.getString(1),
                            rows.getLong(2), rows.getLong(3) / 1048576.0, 100.0 * rows.getLong(4) / Math.max(1, rows.getLong(3)));
                }
            }
        }
    }

    /**
     * SQLite's plan of each statement behind the measured requests (and of a prune batch), and what each costs
     * SQLite alone: the statement run here, one thread, through the same driver, every column read as leadsync
     * reads it; mean and p99 over RUNS runs after a warm-up. For the receipt, a different seeded id each run.
     */
    static void plans(Path db) throws SQLException {
        final int runs = 1000;
        String cols = "select id, update_id, target, reason, http_status, attempts, failed_at, error, body, origin, raw from dead_letter";
        String receipt = "select seq, id, target, lead_key, status, attempts, target_lead_id, remarks, error, accepted_at,"
                + " updated_at, origin, body from lead_update where id = ?";
        String[][] statements = {
            {"GET /leads/{id}", receipt},
            {"GET /dead-letters", cols + " where id > ? order by id limit 100"},
            {"  ?target=superfone", cols + " where id > ? and target = 'superfone' order by id limit 100"},
            {"  ?reason=UNREACHABLE", cols + " where id > ? and reason = 'UNREACHABLE' order by id limit 100"},
            {"  ?target=&reason=", cols + " where id > ? and target = 'superfone' and reason = 'REJECTED' order by id limit 100"},
            {"prune (one batch)", "delete from lead_update where seq in (select seq from lead_update"
                    + " where status <> 'PENDING' and updated_at < ? limit 5000)"},
        };
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            long letters = count(c, "dead_letter");
            String middle;
            try (ResultSet rows = s.executeQuery("select id from dead_letter order by id limit 1 offset " + letters / 2)) {
                middle = rows.next() ? rows.getString(1) : "";
            }
            long maxSeq = single(c, "select coalesce(max(seq), 0) from lead_update");
            List<String> ids = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(7);
            try (PreparedStatement pick = c.prepareStatement("select id from lead_update where seq >= ? order by seq limit 1")) {
                for (int i = 0; i < runs && maxSeq > 0; i++) {
                    pick.setLong(1, 1 + random.nextLong(maxSeq));
                    try (ResultSet rows = pick.executeQuery()) {
                        if (rows.next()) {
                            ids.add(rows.getString(1));
                        }
                    }
                }
            }
            System.out.printf("# %-22s %-31s %s%n", "statement", "SQLite alone: mean/p99 ms", "plan");
            for (String[] st : statements) {
                List<String> steps = new ArrayList<>();
                try (ResultSet rows = s.executeQuery("explain query plan " + st[1].replace("?", "''"))) {
                    while (rows.next()) {
                        steps.add(rows.getString("detail"));
                    }
                }
                String cost = "";
                if (!st[0].startsWith("prune")) {
                    try (PreparedStatement select = c.prepareStatement(st[1])) {
                        if (st[0].startsWith("GET /leads")) {
                            cost = ids.isEmpty() ? "n/a" : time(select, ids, runs);
                        } else {
                            cost = time(select, List.of(""), runs) + ", deep " + time(select, List.of(middle), runs);
                        }
                    }
                }
                System.out.printf("# %-22s %-31s %s%n", st[0], cost, String.join("; ", steps));
            }
            System.out.println("#   (ms per statement, one thread, every column read; deep: after the middle letter)");
        }
    }

    /** "mean/p99" in ms of running a one-parameter query RUNS times (after RUNS / 4 unmeasured), reading every column. */
    static String time(PreparedStatement select, List<String> params, int runs) throws SQLException {
        long[] took = new long[runs];
        for (int i = -runs / 4; i < runs; i++) {
            select.setString(1, params.get(Math.floorMod(i, params.size())));
            long t0 = System.nanoTime();
            try (ResultSet rows = select.executeQuery()) {
                int n = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int col = 1; col <= n; col++) {
                        rows.getString(col);
                    }
                }
            }
            if (i >= 0) {
                took[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(took);
        return String.format(Locale.ROOT, "%.3f/%.3f", Arrays.stream(took).average().orElse(0) / 1e6, rank(took, 0.99) / 1e6);
    }

    // ---- watching a prune ----------------------------------------------------------------------------------

    static final Pattern PRUNED = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) .*Pruned (\\d+) finished lead updates");

    static void watch(Path db, Path log, int timeoutS) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutS * 1000L;
        long firstSeq = -1;
        long lastUnchanged = -1;
        long firstChanged = -1;
        long polls = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1"); // read-only
                PreparedStatement lowest = c.prepareStatement("select seq from lead_update order by seq limit 1")) {
            while (System.currentTimeMillis() < deadline) {
                long at = System.currentTimeMillis();
                long seq;
                try (ResultSet rows = lowest.executeQuery()) {
                    seq = rows.next() ? rows.getLong(1) : Long.MAX_VALUE;
                }
                polls++;
                if (firstSeq < 0) {
                    firstSeq = seq;
                }
                if (firstChanged < 0) {
                    if (seq == firstSeq) {
                        lastUnchanged = at;
                    } else {
                        firstChanged = System.currentTimeMillis();
                    }
                }
                for (String line : Files.readAllLines(log)) {
                    Matcher m = PRUNED.matcher(line);
                    if (m.find()) {
                        long logged = LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS"))
                                .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
                        System.out.println("pruned_rows " + m.group(2));
                        System.out.println("prune_logged_ms " + logged);
                        System.out.println("prune_first_deletion_seen_ms " + firstChanged);
                        System.out.println("prune_last_poll_before_ms " + lastUnchanged);
                        System.out.println("prune_polls " + polls);
                        System.out.println("watcher_cpu_ticks " + Math.max(0, procTicks("self")));
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        fail("no \"Pruned N finished lead updates\" line in " + log + " within " + timeoutS + " s");
    }

    // ---- the load client ------------------------------------------------------------------------------------

    /** One kind of request: its path for request number i, and the check of its answer. */
    interface Kind {
        String path(int i);

        String check(int i, int status, String body);
    }

    record Named(String name, Kind kind) {
    }

    static final Pattern LETTER_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern NEXT = Pattern.compile("\"next\":(null|\"([0-9a-f-]{36})\")");

    static String uuid(long hi, long lo) {
        return new UUID(hi, lo).toString();
    }

    static void load(String base, Path metaDir, String tag, int c, int requests, int warmup) throws Exception {
        // The seed: every update's id and target, every letter's id, target and reason.
        long[] uHi;
        long[] uLo;
        byte[] uTarget;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(metaDir.resolve(tag + ".updates")), 1 << 16))) {
            int n = in.readInt();
            uHi = new long[n];
            uLo = new long[n];
            uTarget = new byte[n];
            for (int i = 0; i < n; i++) {
                uHi[i] = in.readLong();
                uLo[i] = in.readLong();
                uTarget[i] = in.readByte();
            }
        }
        String[] letterIds;
        byte[] lTarget;
        byte[] lReason;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(metaDir.resolve(tag + ".letters")), 1 << 16))) {
            int n = in.readInt();
            letterIds = new String[n];
            lTarget = new byte[n];
            lReason = new byte[n];
            for (int i = 0; i < n; i++) {
                letterIds[i] = uuid(in.readLong(), in.readLong());
                lTarget[i] = in.readByte();
                lReason[i] = in.readByte();
            }
        }
        if (uHi.length == 0 || letterIds.length == 0) {
            fail("the seed has no updates or no dead letters");
        }
        // Letters in id order (the API's order); the "deep" pages start after the middle one.
        Integer[] order = new Integer[letterIds.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> letterIds[a].compareTo(letterIds[b]));
        String middle = letterIds[order[order.length / 2]];
        int superfone = 1;
        int unreachable = Arrays.asList(REASONS).indexOf("UNREACHABLE");
        int rejected = Arrays.asList(REASONS).indexOf("REJECTED");

        List<Named> kinds = new ArrayList<>();
        SplittableRandom pickRandom = new SplittableRandom(42);
        int[] leadPick = new int[Math.max(requests, warmup)];
        for (int i = 0; i < leadPick.length; i++) {
            leadPick[i] = pickRandom.nextInt(uHi.length);
        }
        kinds.add(new Named("GET /leads/{id}", new Kind() {
            public String path(int i) {
                return "/leads/" + uuid(uHi[leadPick[i]], uLo[leadPick[i]]);
            }

            public String check(int i, int status, String body) {
                String id = uuid(uHi[leadPick[i]], uLo[leadPick[i]]);
                if (status != 200) {
                    return "GET /leads/" + id + " (a seeded id) answered " + status + ": " + abbreviate(body);
                }
                if (!body.contains("\"id\":\"" + id + "\"") || !body.contains("\"status\":\"DELIVERED\"")
                        || !body.contains("\"target\":\"" + TARGETS[uTarget[leadPick[i]]] + "\"")) {
                    return "GET /leads/" + id + " is not the seeded DELIVERED receipt for " + TARGETS[uTarget[leadPick[i]]] + ": "
                            + abbreviate(body);
                }
                return null;
            }
        }));
        for (boolean deep : new boolean[] {false, true}) {
            for (int[] filter : new int[][] {{-1, -1}, {superfone, -1}, {-1, unreachable}, {superfone, rejected}}) {
                int ft = filter[0];
                int fr = filter[1];
                // The ids this filter must list, in order.
                List<String> matching = new ArrayList<>();
                for (int k : order) {
                    if ((ft < 0 || lTarget[k] == ft) && (fr < 0 || lReason[k] == fr)) {
                        matching.add(letterIds[k]);
                    }
                }
                String after = deep ? middle : null;
                int from = 0;
                if (after != null) {
                    int at = java.util.Collections.binarySearch(matching, after);
                    from = at >= 0 ? at + 1 : -at - 1;
                }
                List<String> expected = matching.subList(from, Math.min(matching.size(), from + 100));
                String expectedNext = expected.size() == 100 ? expected.get(99) : null;
                StringBuilder query = new StringBuilder("?limit=100");
                if (ft >= 0) {
                    query.append("&target=").append(TARGETS[ft]);
                }
                if (fr >= 0) {
                    query.append("&reason=").append(REASONS[fr]);
                }
                if (after != null) {
                    query.append("&after=").append(after);
                }
                String path = "/dead-letters" + query;
                String filters = (ft >= 0 ? "&target=" + TARGETS[ft] : "") + (fr >= 0 ? "&reason=" + REASONS[fr] : "")
                        + (deep ? "&after=<middle>" : "");
                String name = "GET /dead-letters" + (filters.isEmpty() ? "" : "?" + filters.substring(1));
                System.out.printf("# %-62s %6d letters match, %d on the page%s%n", name, matching.size(), expected.size(),
                        deep ? " (" + from + " before <middle>)" : "");
                if (expected.size() < 100) {
                    System.out.println("# WARNING: fewer than 100 letters match " + name + ": seed more (N_LETTERS)");
                }
                kinds.add(new Named(name, new Kind() {
                    public String path(int i) {
                        return path;
                    }

                    public String check(int i, int status, String body) {
                        if (status != 200) {
                            return path + " answered " + status + ": " + abbreviate(body);
                        }
                        List<String> ids = new ArrayList<>(100);
                        Matcher m = LETTER_ID.matcher(body);
                        while (m.find()) {
                            ids.add(m.group(1));
                        }
                        if (!ids.equals(expected)) {
                            return path + " listed " + ids.size() + " letters, not the " + expected.size() + " expected"
                                    + (ids.isEmpty() || expected.isEmpty() ? "" : " (first " + ids.get(0) + ", expected " + expected.get(0) + ")");
                        }
                        Matcher next = NEXT.matcher(body);
                        String got = next.find() ? next.group(2) : "<missing>";
                        if (!java.util.Objects.equals(got, expectedNext)) {
                            return path + " has next " + got + ", not " + expectedNext;
                        }
                        return null;
                    }
                }));
            }
        }
        // Measured order: the receipts, then each dead-letter listing shallow and deep.
        List<Named> ordered = new ArrayList<>();
        ordered.add(kinds.get(0));
        for (int k = 1; k <= 4; k++) {
            ordered.add(kinds.get(k));
            ordered.add(kinds.get(k + 4));
        }

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        List<String[]> watched = watched();
        System.out.printf("# warm-up: %d unmeasured requests of each of the %d kinds, %d threads%n", warmup, ordered.size(), c);
        for (Named named : ordered) {
            run(http, base, named.kind, warmup, c, null);
        }
        System.out.printf("# measured: %d requests of each kind, one kind after the other, %d threads (closed loop)%n", requests, c);
        System.out.printf("# %-62s %7s %7s %7s %6s %7s %9s %9s %7s %6s%n", "kind", "p50 ms", "p99 ms", "max ms", "req/s",
                "KiB/ans", "app ms/rq", "cli ms/rq", "other s", "busy%");
        int k = 0;
        for (Named named : ordered) {
            long[] nanos = new long[requests];
            long[] bytes = new long[1];
            long[] before = cpuSnapshot(watched);
            long t0 = System.nanoTime();
            run(http, base, named.kind, requests, c, new Recorder(nanos, bytes));
            long elapsed = System.nanoTime() - t0;
            long[] after = cpuSnapshot(watched);
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double p50 = rank(sorted, 0.50) / 1e6;
            double p99 = rank(sorted, 0.99) / 1e6;
            double max = sorted[sorted.length - 1] / 1e6;
            double rps = requests / (elapsed / 1e9);
            String[] cpu = cpuFigures(watched, before, after, requests);
            System.out.printf(Locale.ROOT, "# %-62s %7.2f %7.2f %7.1f %6.0f %7.1f %9s %9s %7s %6s%n", named.name, p50, p99, max, rps,
                    bytes[0] / 1024.0 / requests, cpu[0], cpu[1], cpu[2], cpu[3]);
            String key = "kind" + k++;
            System.out.printf(Locale.ROOT, "%s_name %s%n%s_p50_ms %.2f%n%s_p99_ms %.2f%n%s_max_ms %.1f%n%s_rps %.0f%n", key,
                    named.name.replace(' ', '_'), key, p50, key, p99, key, max, key, rps);
        }
        System.out.println("kinds " + k);
        System.out.println("#   (app / cli ms/rq: CPU time (utime + stime) of leadsync / of this client over the kind's window, per request;");
        System.out.println("#    other s: CPU time of everything but the two in that window; busy%: all cores; see bench/README.md)");
    }

    static long rank(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    record Recorder(long[] nanos, long[] bytes) {
    }

    /** n requests of a kind by c threads over a shared counter; every answer checked; the first wrong one fails the run. */
    static void run(HttpClient http, String base, Kind kind, int n, int c, Recorder recorder) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long[] bytes = new long[c];
        Thread[] threads = new Thread[c];
        for (int t = 0; t < c; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < n && failures.isEmpty();) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + kind.path(i))).timeout(Duration.ofSeconds(60)).GET().build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> answer;
                    try {
                        answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        failures.add(request.uri() + ": " + e);
                        return;
                    }
                    long took = System.nanoTime() - t0;
                    String wrong = kind.check(i, answer.statusCode(), answer.body());
                    if (wrong != null) {
                        failures.add(wrong);
                        return;
                    }
                    if (recorder != null) {
                        recorder.nanos[i] = took;
                        bytes[thread] += answer.body().length();
                    }
                }
            }, "client-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            fail(failures.peek());
        }
        if (recorder != null) {
            recorder.bytes[0] = Arrays.stream(bytes).sum();
        }
    }

    // ---- CPU from /proc (as bench/delivery/DeliveryLoad.java) ----------------------------------------------

    static final long TICKS = 100; // USER_HZ

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

    static long[] cpuSnapshot(List<String[]> watched) {
        long[] v = new long[watched.size() + 3];
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
            v[watched.size() + 2] = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
        } catch (IOException | RuntimeException e) {
            v[watched.size() + 1] = -1;
        }
        return v;
    }

    static long procTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {leadsync CPU ms per request, client CPU ms per request, other CPU s, machine busy %} over a window; n/a where unknown. */
    static String[] cpuFigures(List<String[]> watched, long[] before, long[] after, int requests) {
        int n = watched.size();
        String perRequest = "n/a";
        String client = before[n] < 0 || after[n] < 0 ? "n/a"
                : String.format(Locale.ROOT, "%.3f", (after[n] - before[n]) * 1000.0 / TICKS / requests);
        long ours = 0;
        boolean known = true;
        for (int i = 0; i <= n; i++) {
            if (before[i] < 0 || after[i] < 0) {
                known = false;
                continue;
            }
            ours += after[i] - before[i];
            if (i == 0 && n > 0) {
                perRequest = String.format(Locale.ROOT, "%.3f", (after[0] - before[0]) * 1000.0 / TICKS / requests);
            }
        }
        long total = after[n + 1] - before[n + 1];
        if (before[n + 1] < 0 || after[n + 1] < 0 || total <= 0) {
            return new String[] {perRequest, client, "n/a", "n/a"};
        }
        long busy = total - (after[n + 2] - before[n + 2]);
        return new String[] {perRequest, client, known ? String.format(Locale.ROOT, "%.2f", Math.max(0, busy - ours) / (double) TICKS) : "n/a",
                String.format(Locale.ROOT, "%.1f", 100.0 * busy / total)};
    }
}
