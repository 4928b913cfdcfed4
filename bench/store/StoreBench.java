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
 * For bench/console.sh (the operator console's pages; {@link Console}):
 *
 * <pre>
 * console-seed  DB META_DIR N_UPDATES N_LETTERS N_EVENTS N_PHONES HEAVY HEAVY_EVENTS DAYS DAY_PCT HOUR_PCT ETL_RUNS RANDOM_SEED
 *       finished lead updates of every status with their phone, a dead letter for N_LETTERS of them, their history
 *       (lead_history), webhook events of the same phones and ETL runs; writes META_DIR/console.{updates,letters,events,meta}
 *       for the client.
 * console-plans DB META_DIR
 *       EXPLAIN QUERY PLAN and SQLite's own time of every statement behind the pages.
 * console-load  BASE_URL META_DIR API_KEY C REQUESTS WARMUP ROUTES_DIR
 *       signs in, checks and describes every page once, walks the busy phone's timeline (each of its updates and events
 *       must be on exactly one page), then WARMUP unmeasured and REQUESTS measured GETs of each page; every answer is
 *       checked against the seed.
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
                case "console-seed" -> Console.seed(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]),
                        Integer.parseInt(args[8]), Double.parseDouble(args[9]), Double.parseDouble(args[10]),
                        Double.parseDouble(args[11]), Integer.parseInt(args[12]), Long.parseLong(args[13]));
                case "console-plans" -> Console.plans(Path.of(args[1]), Path.of(args[2]));
                case "console-load" -> Console.load(args[1], Path.of(args[2]), args[3], Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]), Integer.parseInt(args[6]), Path.of(args[7]));
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

    // ---- the console: bench/console.sh -------------------------------------------------------------------------

    /**
     * The console benchmark's seed, plans and client (modes console-seed, console-plans, console-load): a store as the
     * operator console sees it — updates of every finished status, one phone column per update, dead letters of seeded
     * updates, the history of their failed attempts and replayed or deleted letters, webhook events of the same phones,
     * ETL runs — and the console's pages read from it.
     */
    static final class Console {

        static final String[] TARGETS = {"telecrm", "superfone", "truto:demo-pipedrive"};
        static final String[] STATUSES = {"DELIVERED", "SKIPPED", "DEAD_LETTER"};
        static final String[] EVENT_SOURCES = {"superfone", "truto:demo-pipedrive", "telecrm"};
        static final int[] EVENT_SOURCE_WEIGHTS = {45, 25, 30};
        static final String[] EVENT_STATUSES = {"CARRIED", "ECHO", "STALE", "IGNORED"};
        static final int[] EVENT_STATUS_WEIGHTS = {60, 20, 5, 15};
        static final String[] JOBS = {"stages", "lead-import", "telecrm-leads", "truto-leads"};
        static final int[] JOB_WEIGHTS = {20, 76, 2, 2}; // hourly, every 15 min, daily, daily
        /** LeadTimeline.PAGE and ConsoleResource.DEAD_LETTER_PAGE. */
        static final int PAGE = 50;
        static final long HOUR = 3_600_000L;
        static final long DAY = 86_400_000L;

        private Console() {
        }

        /** Phone number k as digits: 91 and ten digits from 6000000000 on, distinct for distinct k (0 <= k < 4e9). */
        static String phone(long k) {
            return "91" + (6_000_000_000L + Math.floorMod(k * 2_654_435_761L, 4_000_000_000L));
        }

        /**
         * n times in ascending order over [now - days, end): hourPct % in the last hour, dayPct % in the last day (the
         * last hour included), the rest over the days before; evenly spaced within each part, jittered within a step.
         */
        static long[] times(int n, long now, long end, double days, double dayPct, double hourPct, SplittableRandom random) {
            int inHour = (int) Math.round(n * hourPct / 100);
            int inDay = Math.max(0, (int) Math.round(n * dayPct / 100) - inHour);
            int older = n - inDay - inHour;
            long[] t = new long[n];
            int i = 0;
            long[][] parts = {{now - (long) (days * DAY), now - DAY, older}, {now - DAY, now - HOUR, inDay}, {now - HOUR, end, inHour}};
            for (long[] part : parts) {
                double step = (part[1] - part[0]) / (double) Math.max(1, part[2]);
                for (int k = 0; k < part[2]; k++) {
                    t[i++] = part[0] + (long) (k * step) + (step >= 2 ? random.nextLong((long) step) : 0);
                }
            }
            return t;
        }

        /** An update's fate beyond its status: 0 as seeded; replayed from a dead letter; its dead letter deleted. */
        static final byte REPLAYED = 1;
        static final byte DELETED = 2;
        /** LeadHistory.Kind, in the order the seed reports them. */
        static final String[] HISTORY_KINDS = {"ATTEMPT", "ACCEPTED", "DEAD_LETTER", "REPLAYED", "DELETED"};

        /** Where update i came from (its origin column): one in ten a file line. */
        static String origin(int i, boolean fromFile) {
            return fromFile ? "file leads-" + (i / 5000) + ".jsonl line " + (i % 5000 + 1) : "POST /leads";
        }

        /** An update's rows in lead_history: {happened_at, kind, status, attempt, http_status, detail}; the letter replayed or deleted. */
        record Past(List<Object[]> rows, String letter) {
        }

        /**
         * What leadsync would have written to lead_history for update {@code i} (LeadDelivery.attemptFailed,
         * LeadStore.replay / deleteDeadLetter): an ATTEMPT row for every failed attempt that called the CRM (so none for
         * VALIDATION), the last one failing with the update's {@code failure}, the earlier ones retried (UNREACHABLE: 503
         * or a time-out); a replayed update also its first life (ACCEPTED, the attempts, DEAD_LETTER) and REPLAYED at its
         * new acceptance; a deleted letter's update the letter (DEAD_LETTER) and DELETED. Drawn from a random of the
         * update's own, so the seed can count the rows when it writes the update and write them later.
         */
        static Past past(long seed, int i, byte fate, String failure, int attempts, Integer http, long accepted, long updated,
                String target, String origin, long now) {
            SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1L)));
            List<Object[]> rows = new ArrayList<>();
            String letter = null;
            if (fate == REPLAYED) {
                boolean outage = failure.equals("UNREACHABLE");
                long first = accepted - 600_000 - r.nextLong(6 * HOUR); // its first acceptance, 10 min to 6 h before the replay
                int made = outage ? 6 : 1;
                long failed = first + (outage ? 1_000 + r.nextInt(60_000) : 40 + r.nextInt(3_000));
                Integer lastHttp = letterHttp(failure, r);
                letter = timeOrdered(failed, r).toString();
                rows.add(new Object[] {first, "ACCEPTED", null, null, null, origin == null ? "POST /leads" : origin});
                attempts(rows, failure, true, made, lastHttp, first, failed, target, r);
                rows.add(new Object[] {failed, "DEAD_LETTER", failure, made, lastHttp, letterError(failure, target, lastHttp)});
                rows.add(new Object[] {accepted, "REPLAYED", null, null, null, "dead letter " + letter + " replayed" + (outage ? "" : ", edited")});
                // ... and the replay itself was delivered, perhaps after retries of its own
                attempts(rows, null, false, attempts, null, accepted, updated, target, r);
            } else if (fate == DELETED) {
                attempts(rows, failure, true, attempts, http, accepted, updated, target, r);
                letter = timeOrdered(updated, r).toString();
                rows.add(new Object[] {updated, "DEAD_LETTER", failure, attempts, http, letterError(failure, target, http)});
                rows.add(new Object[] {Math.min(now - 1, updated + 300_000 + r.nextLong(DAY)), "DELETED", null, null, null,
                        "dead letter " + letter + " deleted"});
            } else {
                attempts(rows, failure, failure != null && !failure.equals("PARTIAL"), attempts, http, accepted, updated, target, r);
            }
            return new Past(rows, letter);
        }

        /**
         * The ATTEMPT rows of {@code attempts} attempts between {@code from} and {@code to}: all failed when {@code failedAtEnd}
         * (the last with {@code failure} and {@code lastHttp}), else all but the last.
         */
        static void attempts(List<Object[]> rows, String failure, boolean failedAtEnd, int attempts, Integer lastHttp, long from, long to,
                String target, SplittableRandom r) {
            if (failedAtEnd && failure.equals("VALIDATION")) {
                return; // checked before any call: no attempt reached the CRM
            }
            int failed = failedAtEnd ? attempts : attempts - 1;
            for (int k = 1; k <= failed; k++) {
                boolean last = failedAtEnd && k == attempts;
                String status = last ? failure : "UNREACHABLE";
                Integer h = last ? lastHttp : r.nextInt(3) == 0 ? null : 503;
                String detail = switch (status) {
                    case "UNREACHABLE" -> h == null ? "read timed out after 15000 ms" : "HTTP 503: upstream unavailable";
                    default -> letterError(status, target, h);
                };
                rows.add(new Object[] {from + (to - from) * k / attempts, "ATTEMPT", status, k, h, detail});
            }
        }

        /** The text written to console.meta: "key value" lines the plans and the client read. */
        static java.util.Map<String, String> readMeta(Path metaDir) throws IOException {
            java.util.Map<String, String> meta = new java.util.LinkedHashMap<>();
            for (String line : Files.readAllLines(metaDir.resolve("console.meta"))) {
                int sp = line.indexOf(' ');
                if (sp > 0) {
                    meta.put(line.substring(0, sp), line.substring(sp + 1));
                }
            }
            return meta;
        }

        static void seed(Path db, Path metaDir, int n, int nLetters, int nEvents, int nPhones, int heavy, int heavyEvents,
                double days, double dayPct, double hourPct, int etlRuns, long seed) throws Exception {
            if (!Files.isRegularFile(db)) {
                fail("no store at " + db + ": start leadsync on its data dir once first (Flyway creates the schema)");
            }
            if (days <= 1 || dayPct < hourPct || dayPct > 100 || hourPct < 0 || heavy > n || nLetters > n || nPhones < 1
                    || heavyEvents > nEvents) {
                fail("DAYS > 1, 0 <= HOUR_PCT <= DAY_PCT <= 100, HEAVY <= N_UPDATES, N_LETTERS <= N_UPDATES, N_PHONES >= 1,"
                        + " HEAVY_EVENTS <= N_EVENTS");
            }
            Files.createDirectories(metaDir);
            SplittableRandom random = new SplittableRandom(seed);
            long now = System.currentTimeMillis();
            long end = now - 5_000; // the newest update: 5 s before the seed
            long t0 = System.nanoTime();

            // Who, when, where: acceptance times ascending (ids and seq grow together), phone numbers 0..nPhones-1 drawn
            // uniformly, the heavy phone (number nPhones) exactly `heavy` times, a fifth of its updates as pairs accepted
            // in the same millisecond (one change sent to two targets), and 5 % of the others too.
            long[] accepted = times(n, now, end, days, dayPct, hourPct, random);
            int[] phoneOf = new int[n];
            byte[] targetOf = new byte[n];
            int heavyLeft = heavy;
            for (int i = 0; i < n; i++) {
                targetOf[i] = (byte) pick(TARGET_WEIGHTS, random);
                if (heavyLeft > 0 && random.nextLong(n - i) < heavyLeft) {
                    phoneOf[i] = nPhones;
                    heavyLeft--;
                    if (heavyLeft > 0 && i + 1 < n && random.nextInt(5) == 0) { // its twin
                        i++;
                        phoneOf[i] = nPhones;
                        accepted[i] = accepted[i - 1];
                        targetOf[i] = (byte) ((targetOf[i - 1] + 1 + random.nextInt(2)) % 3);
                        heavyLeft--;
                    }
                } else {
                    phoneOf[i] = random.nextInt(nPhones);
                    if (i > 0 && phoneOf[i - 1] != nPhones && random.nextInt(20) == 0) {
                        phoneOf[i] = phoneOf[i - 1];
                        accepted[i] = accepted[i - 1];
                        targetOf[i] = (byte) ((targetOf[i - 1] + 1 + random.nextInt(2)) % 3);
                    }
                }
            }
            if (heavyLeft != 0) {
                fail("the heavy phone got " + (heavy - heavyLeft) + " updates, not " + heavy);
            }
            // Exactly nLetters updates have a dead letter: PARTIAL ones were delivered (the CRM dropped a field), the
            // others are DEAD_LETTER. Of the rest 6 % are SKIPPED, the others DELIVERED.
            byte[] statusOf = new byte[n];
            byte[] reasonOf = new byte[n];
            long[] updated = new long[n];
            int lettersLeft = nLetters;
            for (int i = 0; i < n; i++) {
                reasonOf[i] = -1;
                if (lettersLeft > 0 && random.nextLong(n - i) < lettersLeft) {
                    lettersLeft--;
                    reasonOf[i] = (byte) pick(REASON_WEIGHTS, random);
                    statusOf[i] = (byte) (REASONS[reasonOf[i]].equals("PARTIAL") ? 0 : 2);
                } else {
                    statusOf[i] = (byte) (random.nextInt(100) < 6 ? 1 : 0);
                }
                boolean retried = reasonOf[i] >= 0 && REASONS[reasonOf[i]].equals("UNREACHABLE");
                updated[i] = Math.min(now - 1, accepted[i] + (retried ? 1_000 + random.nextInt(60_000) : 40 + random.nextInt(3_000)));
            }
            // A past in lead_history beyond failed attempts (ae5d5f4): of the updates without a letter, 0.5 % were
            // dead-lettered once and replayed, then delivered (the update is its replay: accepted then, a new seq), and
            // 0.2 % are DEAD_LETTER with their letter deleted since; ten times as many of the busy phone's, so its walk
            // meets every kind of history item. Drawn from a random of their own: the rest of the seed stays as before.
            SplittableRandom fates = new SplittableRandom(seed ^ 0x4849_5354_4F52_5959L);
            byte[] fateOf = new byte[n];
            byte[] pastReason = new byte[n]; // the replayed or deleted letter's reason
            for (int i = 0; i < n; i++) {
                if (reasonOf[i] >= 0) {
                    continue;
                }
                int per10k = fates.nextInt(10_000);
                boolean busy = phoneOf[i] == nPhones;
                if (per10k < (busy ? 500 : 50)) {
                    fateOf[i] = REPLAYED;
                    pastReason[i] = (byte) (fates.nextInt(10) < 7 ? 2 : 1); // an outage (UNREACHABLE) or a fixed REJECTED
                    statusOf[i] = 0;
                } else if (per10k < (busy ? 700 : 70)) {
                    fateOf[i] = DELETED;
                    pastReason[i] = (byte) pick(new int[] {20, 30, 35, 10}, fates); // not PARTIAL: that update was delivered
                    statusOf[i] = 2;
                    if (REASONS[pastReason[i]].equals("UNREACHABLE")) {
                        updated[i] = Math.min(now - 1, accepted[i] + 1_000 + fates.nextInt(60_000));
                    }
                }
            }

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                try (Statement s = c.createStatement()) {
                    s.execute("pragma journal_mode=WAL");
                    s.execute("pragma synchronous=NORMAL");
                    s.execute("pragma cache_size=-262144");
                }
                if (count(c, "lead_update") + count(c, "dead_letter") + count(c, "webhook_event") + count(c, "etl_run")
                        + count(c, "lead_history") != 0) {
                    fail("the store at " + db + " is not empty");
                }
                c.setAutoCommit(false);
                long[] letterHi = new long[nLetters];
                long[] letterLo = new long[nLetters];
                int[] letterUpdate = new int[nLetters];
                Integer[] letterHttpOf = new Integer[nLetters];
                List<String> letterUpdateIds = new ArrayList<>(nLetters);
                int letters = 0;
                long[] idHi = new long[n];
                long[] idLo = new long[n];
                byte[] attemptsOf = new byte[n];
                short[] httpOf = new short[n]; // the last failed attempt's HTTP status, 0: none
                byte[] historyOf = new byte[n];
                java.util.BitSet fileOrigin = new java.util.BitSet(n);
                // seq given as a fresh table's autoincrement gives it (1, 2, ...): the client's model writes the timeline's
                // cursors (millis u seq) and needs each update's seq.
                try (PreparedStatement insert = c.prepareStatement("insert into lead_update (seq, id, crm, target, lead_key, phone,"
                        + " status, attempts, target_lead_id, remarks, error, accepted_at, updated_at, origin, body, owner)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)");
                        DataOutputStream meta = new DataOutputStream(new BufferedOutputStream(
                                Files.newOutputStream(metaDir.resolve("console.updates")), 1 << 16))) {
                    meta.writeInt(n);
                    for (int i = 0; i < n; i++) {
                        int t = targetOf[i];
                        String target = TARGETS[t];
                        String digits = phone(phoneOf[i]);
                        String status = STATUSES[statusOf[i]];
                        String reason = reasonOf[i] < 0 ? null : REASONS[reasonOf[i]]; // its dead letter's
                        // How its last attempt failed: its letter's reason, or the deleted letter's (a replay's past is
                        // its own: the update row is the replay, delivered at the first attempt or after retries).
                        String failure = fateOf[i] == DELETED ? REASONS[pastReason[i]] : reason;
                        UUID id = timeOrdered(accepted[i], random);
                        idHi[i] = id.getMostSignificantBits();
                        idLo[i] = id.getLeastSignificantBits();
                        int attempts = "UNREACHABLE".equals(failure) ? 6 : random.nextInt(20) == 0 ? 2 + random.nextInt(2) : 1;
                        attemptsOf[i] = (byte) attempts;
                        int p = 0;
                        insert.setLong(++p, i + 1);
                        insert.setString(++p, id.toString());
                        insert.setString(++p, target.split(":", 2)[0]);
                        insert.setString(++p, target);
                        insert.setString(++p, target + "|id:L" + phoneOf[i]);
                        insert.setString(++p, digits);
                        insert.setString(++p, status);
                        insert.setInt(++p, attempts);
                        if (status.equals("DEAD_LETTER")) {
                            insert.setNull(++p, Types.VARCHAR);
                        } else {
                            insert.setString(++p, (t == 0 ? "tc-" : t == 1 ? "sf-" : "pd-") + (900_000 + phoneOf[i]));
                        }
                        if (t == 0 && random.nextInt(50) == 0 || "PARTIAL".equals(reason)) {
                            insert.setString(++p, "[{\"field\":\"budget\",\"status\":\"IGNORED\",\"remark\":\"no such field in the form\"}]");
                        } else {
                            insert.setNull(++p, Types.VARCHAR);
                        }
                        Integer http = failure == null ? null : letterHttp(failure, random);
                        httpOf[i] = (short) (http == null ? 0 : http);
                        if (status.equals("DEAD_LETTER")) {
                            insert.setString(++p, letterError(failure, target, http));
                        } else {
                            insert.setNull(++p, Types.VARCHAR);
                        }
                        insert.setLong(++p, accepted[i]);
                        insert.setLong(++p, updated[i]);
                        boolean fromFile = random.nextInt(10) == 0;
                        if (fromFile) {
                            fileOrigin.set(i);
                        }
                        String origin = origin(i, fromFile);
                        Past past = past(seed, i, fateOf[i], fateOf[i] == 0 ? reason : REASONS[pastReason[i]], attempts, http, accepted[i],
                                updated[i], target, origin, now);
                        historyOf[i] = (byte) past.rows().size();
                        insert.setString(++p, past.letter() != null && fateOf[i] == REPLAYED
                                ? origin + " (replay of dead letter " + past.letter() + ")" : origin);
                        insert.setString(++p, body(target, phoneOf[i], "+" + digits, random));
                        insert.addBatch();
                        meta.writeLong(id.getMostSignificantBits());
                        meta.writeLong(id.getLeastSignificantBits());
                        meta.writeLong(accepted[i]);
                        meta.writeLong(updated[i]);
                        meta.writeInt(phoneOf[i]);
                        meta.writeByte(t);
                        meta.writeByte(statusOf[i]);
                        meta.writeByte(reasonOf[i]);
                        meta.writeByte(historyOf[i]);
                        if (reason != null) {
                            UUID letter = timeOrdered(updated[i], random);
                            letterHi[letters] = letter.getMostSignificantBits();
                            letterLo[letters] = letter.getLeastSignificantBits();
                            letterUpdate[letters] = i;
                            letterHttpOf[letters] = http;
                            letterUpdateIds.add(id.toString());
                            letters++;
                        }
                        if ((i + 1) % 1000 == 0 || i == n - 1) {
                            insert.executeBatch();
                        }
                        if ((i + 1) % BATCH == 0 || i == n - 1) {
                            c.commit();
                        }
                    }
                }
                c.setAutoCommit(true);
                checkpoint(c);
                long t1 = System.nanoTime();

                // The dead letters of those updates, each failed when its update finished.
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement("insert into dead_letter (id, update_id, target, reason,"
                        + " http_status, attempts, failed_at, error, body, origin, raw) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)");
                        DataOutputStream meta = new DataOutputStream(new BufferedOutputStream(
                                Files.newOutputStream(metaDir.resolve("console.letters")), 1 << 16))) {
                    meta.writeInt(letters);
                    for (int k = 0; k < letters; k++) {
                        int i = letterUpdate[k];
                        String target = TARGETS[targetOf[i]];
                        String reason = REASONS[reasonOf[i]];
                        Integer http = letterHttpOf[k];
                        int p = 0;
                        insert.setString(++p, new UUID(letterHi[k], letterLo[k]).toString());
                        insert.setString(++p, letterUpdateIds.get(k));
                        insert.setString(++p, target);
                        insert.setString(++p, reason);
                        if (http == null) {
                            insert.setNull(++p, Types.INTEGER);
                        } else {
                            insert.setInt(++p, http);
                        }
                        insert.setInt(++p, attemptsOf[i]);
                        insert.setLong(++p, updated[i]);
                        insert.setString(++p, letterError(reason, target, http));
                        insert.setString(++p, body(target, phoneOf[i], "+" + phone(phoneOf[i]), random));
                        insert.setString(++p, random.nextInt(10) == 0 ? "file leads-" + (i / 5000) + ".jsonl line " + (i % 5000 + 1)
                                : "POST /leads");
                        insert.addBatch();
                        meta.writeLong(letterHi[k]);
                        meta.writeLong(letterLo[k]);
                        meta.writeLong(updated[i]);
                        meta.writeInt(i);
                        meta.writeByte(targetOf[i]);
                        meta.writeByte(reasonOf[i]);
                        if ((k + 1) % 1000 == 0 || k == letters - 1) {
                            insert.executeBatch();
                        }
                        if ((k + 1) % BATCH == 0 || k == letters - 1) {
                            c.commit();
                        }
                    }
                }
                c.setAutoCommit(true);
                long t2 = System.nanoTime();

                // Their history (lead_history), in update order: what past() drew for each, again (it counted the rows
                // for the client's model above).
                c.setAutoCommit(false);
                long historyRows = 0;
                long[] historyByKind = new long[HISTORY_KINDS.length];
                try (PreparedStatement insert = c.prepareStatement("insert into lead_history (update_id, happened_at, kind,"
                        + " status, attempt, http_status, detail) values (?, ?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < n; i++) {
                        if (historyOf[i] == 0) {
                            continue;
                        }
                        String failure = fateOf[i] != 0 ? REASONS[pastReason[i]] : reasonOf[i] < 0 ? null : REASONS[reasonOf[i]];
                        Past past = past(seed, i, fateOf[i], failure, attemptsOf[i], httpOf[i] == 0 ? null : (int) httpOf[i],
                                accepted[i], updated[i], TARGETS[targetOf[i]], origin(i, fileOrigin.get(i)), now);
                        if (past.rows().size() != historyOf[i]) {
                            fail("update " + i + "'s history drew " + past.rows().size() + " rows, then " + historyOf[i]);
                        }
                        String id = new UUID(idHi[i], idLo[i]).toString();
                        for (Object[] row : past.rows()) {
                            int p = 0;
                            insert.setString(++p, id);
                            insert.setLong(++p, (Long) row[0]);
                            insert.setString(++p, (String) row[1]);
                            insert.setString(++p, (String) row[2]);
                            for (int col = 3; col <= 4; col++) {
                                if (row[col] == null) {
                                    insert.setNull(++p, Types.INTEGER);
                                } else {
                                    insert.setInt(++p, (Integer) row[col]);
                                }
                            }
                            insert.setString(++p, (String) row[5]);
                            insert.addBatch();
                            historyByKind[Arrays.asList(HISTORY_KINDS).indexOf((String) row[1])]++;
                            if (++historyRows % 1000 == 0) {
                                insert.executeBatch();
                            }
                            if (historyRows % BATCH == 0) {
                                c.commit();
                            }
                        }
                    }
                    insert.executeBatch();
                    c.commit();
                }
                c.setAutoCommit(true);
                long tHistory = System.nanoTime();

                // Webhook events of the same phones (E.164), over the same days: the heavy phone exactly heavyEvents times.
                long[] received = times(nEvents, now, end, days, dayPct, hourPct, random);
                int[] eventPhone = new int[nEvents];
                int heavyEventsLeft = heavyEvents;
                for (int i = 0; i < nEvents; i++) {
                    if (heavyEventsLeft > 0 && random.nextLong(nEvents - i) < heavyEventsLeft) {
                        eventPhone[i] = nPhones;
                        heavyEventsLeft--;
                    } else {
                        eventPhone[i] = random.nextInt(nPhones);
                    }
                }
                // The busy phone's events share milliseconds, as the timeline's order (time, kind, seq) must handle: a
                // fifth were received in the millisecond one of its updates was accepted (a change carried by a sync flow
                // into an update: CARRIED), and 5 % in that of another of its events (two CRMs reporting one change).
                // Inserted in time order, as received: seq grows with received_at, as leadsync's does.
                int[] heavyUpdates = java.util.stream.IntStream.range(0, n).filter(i -> phoneOf[i] == nPhones).toArray();
                int[] heavyEventIdx = java.util.stream.IntStream.range(0, nEvents).filter(i -> eventPhone[i] == nPhones).toArray();
                boolean[] carried = new boolean[nEvents];
                int sharedWithUpdates = 0;
                int sharedWithEvents = 0;
                for (int i : heavyEventIdx) {
                    int roll = fates.nextInt(100);
                    if (roll < 20 && heavyUpdates.length > 0) {
                        received[i] = accepted[heavyUpdates[fates.nextInt(heavyUpdates.length)]];
                        carried[i] = true;
                        sharedWithUpdates++;
                    } else if (roll < 25 && heavyEventIdx.length > 1) {
                        int other = heavyEventIdx[fates.nextInt(heavyEventIdx.length)];
                        if (other != i) {
                            received[i] = received[other];
                            sharedWithEvents++;
                        }
                    }
                }
                Integer[] eventOrder = new Integer[nEvents];
                for (int i = 0; i < nEvents; i++) {
                    eventOrder[i] = i;
                }
                Arrays.sort(eventOrder, (a, b) -> received[a] != received[b] ? Long.compare(received[a], received[b]) : Integer.compare(a, b));
                c.setAutoCommit(false);
                // seq given as for lead_update: the insertion order, which the client's model reads as each event's seq.
                try (PreparedStatement insert = c.prepareStatement("insert into webhook_event (seq, id, source, event_id, event_type,"
                        + " phone, stage, lead_id, event_time, received_at, status, outcome, body) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                        DataOutputStream meta = new DataOutputStream(new BufferedOutputStream(
                                Files.newOutputStream(metaDir.resolve("console.events")), 1 << 16))) {
                    meta.writeInt(nEvents);
                    for (int q = 0; q < nEvents; q++) {
                        int i = eventOrder[q];
                        int k = eventPhone[i];
                        String e164 = "+" + phone(k);
                        int src = pick(EVENT_SOURCE_WEIGHTS, random);
                        String source = EVENT_SOURCES[src];
                        int st = pick(EVENT_STATUS_WEIGHTS, random);
                        if (carried[i]) {
                            st = 0; // CARRIED: into the update of that millisecond
                        }
                        String status = EVENT_STATUSES[st];
                        String stage = STAGES[random.nextInt(STAGES.length)];
                        long eventTime = received[i] - random.nextInt(src == 2 ? 10_000 : 3_000);
                        String type;
                        String eventId;
                        String leadId;
                        String body;
                        switch (src) {
                            case 0 -> {
                                type = random.nextInt(10) == 0 ? "CUSTOMER_CREATE" : "CUSTOMER_CHANGE";
                                eventId = String.format("sha256:%016x%016x%016x%016x", random.nextLong(), random.nextLong(),
                                        random.nextLong(), (long) i);
                                leadId = "c-" + (500_000 + k);
                                body = "{\"event\":\"" + type + "\",\"contact_id\":" + (500_000 + k) + ",\"contact_phone\":\"" + e164
                                        + "\",\"updated_key\":\"lead_stage\",\"updated_value\":\"" + stage
                                        + "\",\"contact_lead_stage_name\":\"" + stage + "\",\"enterprise_id\":\"e-1\"}";
                            }
                            case 1 -> {
                                type = random.nextInt(10) == 0 ? "record:created" : "record:updated";
                                eventId = timeOrdered(eventTime, random).toString();
                                leadId = String.valueOf(700_000 + k);
                                body = "{\"id\":\"" + eventId + "\",\"event\":\"" + type + "\",\"payload\":{\"integrated_account_id\":"
                                        + "\"demo-pipedrive\",\"resource\":\"crm/contacts\",\"record\":{\"id\":\"" + leadId
                                        + "\",\"phone_numbers\":[{\"number\":\"" + e164 + "\"}],\"status\":\"" + stage + "\"}},"
                                        + "\"created_at\":\"" + java.time.Instant.ofEpochMilli(eventTime) + "\"}";
                            }
                            default -> {
                                type = random.nextInt(10) == 0 ? "lead created" : "stage changed";
                                leadId = "lead-" + k;
                                eventId = "lead " + leadId + " stage " + stage + " seen " + eventTime + " #" + i;
                                body = "{\"id\":\"" + leadId + "\",\"fields\":{\"name\":\"Lead " + k + "\",\"phone\":\"" + e164.substring(1)
                                        + "\",\"status\":\"" + stage + "\"}}";
                            }
                        }
                        String outcome = switch (status) {
                            case "CARRIED" -> "lead update " + timeOrdered(received[i] + 5, random) + " for " + (src == 2 ? "superfone" : "telecrm");
                            case "ECHO" -> "leadsync wrote stage '" + stage + "' to " + source + " for this lead at "
                                    + java.time.Instant.ofEpochMilli(eventTime - 30_000);
                            case "STALE" -> "not for telecrm: a later change of this lead was carried there already, and the latest change wins";
                            default -> src == 0 ? "CUSTOMER_CHANGE of name is not a stage change" : "no flow starts at " + source;
                        };
                        int p = 0;
                        insert.setLong(++p, q + 1);
                        insert.setString(++p, timeOrdered(received[i], random).toString());
                        insert.setString(++p, source);
                        insert.setString(++p, eventId);
                        insert.setString(++p, type);
                        insert.setString(++p, e164);
                        insert.setString(++p, stage);
                        insert.setString(++p, leadId);
                        insert.setLong(++p, eventTime);
                        insert.setLong(++p, received[i]);
                        insert.setString(++p, status);
                        insert.setString(++p, outcome);
                        insert.setString(++p, body);
                        insert.addBatch();
                        meta.writeLong(received[i]);
                        meta.writeInt(k);
                        meta.writeByte(src);
                        meta.writeByte(st);
                        if ((q + 1) % 1000 == 0 || q == nEvents - 1) {
                            insert.executeBatch();
                        }
                        if ((q + 1) % BATCH == 0 || q == nEvents - 1) {
                            c.commit();
                        }
                    }
                }
                c.setAutoCommit(true);

                // ETL runs, newest now, back over the days: hourly stages exports, lead imports every 15 min, daily exports.
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement("insert into etl_run (id, job, trigger, owner, started_at,"
                        + " finished_at, status, records, errors, skipped, files, error) values (?, ?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    double step = days * DAY / Math.max(1, etlRuns);
                    for (int r = 0; r < etlRuns; r++) {
                        long started = now - 60_000 - (long) (r * step);
                        String job = JOBS[pick(JOB_WEIGHTS, random)];
                        boolean failed = random.nextInt(10) == 0;
                        int p = 0;
                        insert.setString(++p, timeOrdered(started, random).toString());
                        insert.setString(++p, job);
                        insert.setString(++p, random.nextInt(20) == 0 ? "api" : "schedule");
                        insert.setLong(++p, started);
                        insert.setLong(++p, started + 200 + random.nextInt(60_000));
                        insert.setString(++p, failed ? "FAILED" : "SUCCEEDED");
                        insert.setLong(++p, failed ? 0 : random.nextInt(job.equals("stages") ? 40 : 5_000));
                        insert.setLong(++p, failed ? 0 : random.nextInt(20) == 0 ? 1 + random.nextInt(3) : 0);
                        insert.setString(++p, "[]");
                        insert.setString(++p, failed ? "[]" : "[\"" + job + "-" + started + ".jsonl\",\"" + job + "-" + started + ".csv\"]");
                        if (failed) {
                            insert.setString(++p, "HTTP 503: upstream unavailable (3 attempts)");
                        } else {
                            insert.setNull(++p, Types.VARCHAR);
                        }
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.commit();
                }
                c.setAutoCommit(true);
                checkpoint(c);
                long t3 = System.nanoTime();
                if (count(c, "lead_update") != n || count(c, "dead_letter") != letters || count(c, "webhook_event") != nEvents
                        || count(c, "etl_run") != etlRuns || count(c, "lead_history") != historyRows
                        || single(c, "select max(seq) from lead_update") != n || single(c, "select max(seq) from webhook_event") != nEvents) {
                    fail("the store does not hold what was seeded");
                }
                System.out.printf(Locale.ROOT, "seed_updates_s %.2f%nseed_letters_s %.2f%nseed_history_s %.2f%nseed_events_s %.2f%n"
                        + "seed_total_s %.2f%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (tHistory - t2) / 1e9, (t3 - tHistory) / 1e9,
                        (t3 - t0) / 1e9);

                // What the pages ask for, chosen here: the heavy phone, a phone with few updates (3, with a dead letter
                // and a webhook event if there is one), that phone's update with the dead letter, the oldest update of
                // the heavy phone, the middle dead letter.
                int[] updatesOf = new int[nPhones + 1];
                int[] lettersOf = new int[nPhones + 1];
                int[] eventsOf = new int[nPhones + 1];
                int[] historyRowsOf = new int[nPhones + 1];
                int[][] fatesOf = new int[3][nPhones + 1];
                for (int i = 0; i < n; i++) {
                    updatesOf[phoneOf[i]]++;
                    if (reasonOf[i] >= 0) {
                        lettersOf[phoneOf[i]]++;
                    }
                    historyRowsOf[phoneOf[i]] += historyOf[i];
                    fatesOf[fateOf[i]][phoneOf[i]]++;
                }
                for (int k : eventPhone) {
                    eventsOf[k]++;
                }
                int few = -1;
                for (int pass = 0; pass < 3 && few < 0; pass++) {
                    for (int k = 0; k < nPhones; k++) {
                        boolean fits = switch (pass) {
                            case 0 -> updatesOf[k] == 3 && lettersOf[k] >= 1 && eventsOf[k] >= 1;
                            case 1 -> updatesOf[k] >= 2 && updatesOf[k] <= 5 && lettersOf[k] >= 1;
                            default -> updatesOf[k] >= 1;
                        };
                        if (fits) {
                            few = k;
                            break;
                        }
                    }
                }
                String fewUpdate = null;
                String heavyOldest = null;
                try (PreparedStatement select = c.prepareStatement("select u.id from lead_update u"
                        + " where u.phone = ? order by exists (select 1 from dead_letter d where d.update_id = u.id) desc,"
                        + " u.accepted_at desc limit 1");
                        PreparedStatement oldest = c.prepareStatement("select id from lead_update where phone = ?"
                                + " order by accepted_at, seq limit 1")) {
                    select.setString(1, phone(few));
                    try (ResultSet rows = select.executeQuery()) {
                        fewUpdate = rows.next() ? rows.getString(1) : null;
                    }
                    oldest.setString(1, phone(nPhones));
                    try (ResultSet rows = oldest.executeQuery()) {
                        heavyOldest = rows.next() ? rows.getString(1) : null;
                    }
                }
                String middle;
                try (Statement s = c.createStatement();
                        ResultSet rows = s.executeQuery("select id from dead_letter order by id limit 1 offset " + letters / 2)) {
                    middle = rows.next() ? rows.getString(1) : "";
                }
                int[] sortedCounts = Arrays.copyOf(updatesOf, nPhones);
                Arrays.sort(sortedCounts);
                long distinct = Arrays.stream(updatesOf).filter(x -> x > 0).count();
                try (java.io.PrintWriter out = new java.io.PrintWriter(Files.newBufferedWriter(metaDir.resolve("console.meta")))) {
                    out.println("seeded_at " + now);
                    out.println("phones " + nPhones);
                    out.println("heavy_index " + nPhones);
                    out.println("heavy_phone " + phone(nPhones));
                    out.println("heavy_updates " + updatesOf[nPhones]);
                    out.println("heavy_events " + eventsOf[nPhones]);
                    out.println("heavy_letters " + lettersOf[nPhones]);
                    out.println("heavy_history " + historyRowsOf[nPhones]);
                    out.println("heavy_oldest_update " + heavyOldest);
                    out.println("few_index " + few);
                    out.println("few_phone " + phone(few));
                    out.println("few_updates " + updatesOf[few]);
                    out.println("few_events " + eventsOf[few]);
                    out.println("few_letters " + lettersOf[few]);
                    out.println("few_history " + historyRowsOf[few]);
                    out.println("few_update " + fewUpdate);
                    out.println("middle_letter " + middle);
                    out.println("etl_runs " + etlRuns);
                }
                Files.copy(metaDir.resolve("console.meta"), System.out);
                System.out.printf(Locale.ROOT, "# phones: %d with updates (of %d + the heavy one); updates per phone: median %d, p99 %d,"
                        + " max of the others %d; the heavy phone %s: %d updates, %d webhook events, %d dead letters%n", distinct,
                        nPhones, sortedCounts[nPhones / 2], sortedCounts[(int) Math.min(nPhones - 1L, (long) Math.ceil(nPhones * 0.99) - 1)],
                        sortedCounts[nPhones - 1], phone(nPhones), updatesOf[nPhones], eventsOf[nPhones], lettersOf[nPhones]);
                int[] byStatus = new int[3];
                for (byte s : statusOf) {
                    byStatus[s]++;
                }
                long hourAgo = now - HOUR;
                long dayAgo = now - DAY;
                long lastHour = Arrays.stream(updated).filter(u -> u >= hourAgo).count();
                long lastDay = Arrays.stream(updated).filter(u -> u >= dayAgo).count();
                System.out.printf(Locale.ROOT, "# updates: %d DELIVERED, %d SKIPPED, %d DEAD_LETTER; finished in the last hour %d, in the"
                        + " last day %d (at the seed's end)%n", byStatus[0], byStatus[1], byStatus[2], lastHour, lastDay);
                System.out.printf(Locale.ROOT, "# dead letters: %d, every one of a seeded update; webhook events: %d; ETL runs: %d%n",
                        letters, nEvents, etlRuns);
                long replayed = Arrays.stream(fatesOf[REPLAYED]).sum();
                long deleted = Arrays.stream(fatesOf[DELETED]).sum();
                StringBuilder kinds = new StringBuilder();
                for (int k = 0; k < HISTORY_KINDS.length; k++) {
                    kinds.append(k == 0 ? "" : ", ").append(historyByKind[k]).append(' ').append(HISTORY_KINDS[k]);
                }
                System.out.printf(Locale.ROOT, "# history (lead_history): %d rows (%s) of %d updates: every failed CRM call (UNREACHABLE"
                        + " letters 6, REJECTED and UNAUTHORIZED ones their attempts, VALIDATION none; a retried delivery its failed"
                        + " tries), and %d updates replayed from a dead letter, %d with their letter deleted; the busy phone's %d"
                        + " updates hold %d rows (%d replayed, %d deleted)%n", historyRows, kinds,
                        java.util.stream.IntStream.range(0, n).filter(i -> historyOf[i] > 0).count(), replayed, deleted,
                        updatesOf[nPhones], historyRowsOf[nPhones], fatesOf[REPLAYED][nPhones], fatesOf[DELETED][nPhones]);
                System.out.printf(Locale.ROOT, "# the busy phone's events sharing a millisecond: %d with one of its updates (CARRIED), %d"
                        + " with another of its events%n", sharedWithUpdates, sharedWithEvents);
            }
        }

        // ---- plans ----------------------------------------------------------------------------------------------

        static final String UPDATE_COLUMNS = "seq, id, target, lead_key, status, attempts, target_lead_id, remarks, error,"
                + " accepted_at, updated_at, origin, body";
        static final String LETTER_COLUMNS = "id, update_id, target, reason, http_status, attempts, failed_at, error, body, origin, raw";
        static final String EVENT_COLUMNS = "id, source, event_id, event_type, phone, stage, lead_id, event_time, received_at,"
                + " status, outcome, body";
        static final String ETL_COLUMNS = "id, job, trigger, started_at, finished_at, status, records, errors, skipped, files, error";
        /**
         * LeadStore.counts (since bc4da76): one count per target and finished status, inside lead_update_finished_by_target;
         * since ae5d5f4 for DELIVERED and SKIPPED only.
         */
        static final String FINISHED_COUNT = "select count(*) from lead_update where target = ? and status = ? and status <> 'PENDING'"
                + " and updated_at >= ?";
        /** The finished statuses the overview counts as updates (since ae5d5f4; dead letters it counts as letters). */
        static final String[] COUNTED = {"DELIVERED", "SKIPPED"};
        /** LeadStore.deadLetterCount (ae5d5f4, id > since 322f200): a target's letters since a time, the id from TimeOrderedIds.first(since). */
        static final String LETTER_COUNT = "select count(*) from dead_letter where target = ? and id > ?";
        /**
         * LeadStore.ofPhone and WebhookEvents.ofPhone (ae5d5f4): a lead's updates and events below a cursor (time, seq),
         * newest first; bound (phone, at, at, seq, limit) as LeadTimeline.page binds them.
         */
        static final String UPDATES_OF_PHONE = "select " + UPDATE_COLUMNS + " from lead_update"
                + " where phone = ? and accepted_at <= ? and (accepted_at < ? or seq < ?) order by accepted_at desc, seq desc limit ?";
        static final String EVENTS_OF_PHONE = "select seq, " + EVENT_COLUMNS + " from webhook_event"
                + " where phone = ? and received_at <= ? and (received_at < ? or seq < ?) order by received_at desc, seq desc limit ?";

        /** TimeOrderedIds.first: the lowest id of a millisecond. */
        static String firstId(long millis) {
            return new UUID((millis << 16) | 0x7000L, 0x8000000000000000L).toString();
        }

        /** LeadHistory.of (ae5d5f4): the past of a page's updates, oldest first. */
        static String historyOf(int ids) {
            return "select update_id, happened_at, kind, status, attempt, http_status, detail from lead_history where update_id in ("
                    + String.join(", ", java.util.Collections.nCopies(ids, "?")) + ") order by happened_at, seq";
        }

        /**
         * A statement as leadsync runs it (the SQL of LeadStore, LeadHistory, WebhookEvents, EtlRuns) with the values a page
         * gives it; {@code times} runs of it make one (the overview's counts: one per target and status, each with its own
         * values, which {@code params} then holds in turn).
         */
        record Sql(String page, String what, String sql, int times, Object[] params) {
            static Sql of(String page, String what, String sql, Object... params) {
                return new Sql(page, what, sql, 1, params);
            }
        }

        /**
         * A lead's newest page, as LeadTimeline.page merges it, read from the store with leadsync's own statements: the
         * ids of its updates and the cursor of the older page (null: none).
         */
        record StorePage(List<String> updateIds, Place older) {
        }

        static StorePage storePage(Connection c, String digits, Place before) throws SQLException {
            List<Place> placed = new ArrayList<>();
            java.util.Map<Place, String> ids = new java.util.HashMap<>();
            long at = before == null ? Long.MAX_VALUE : before.at();
            try (PreparedStatement updates = c.prepareStatement(UPDATES_OF_PHONE);
                    PreparedStatement events = c.prepareStatement(EVENTS_OF_PHONE)) {
                bind(updates, new Object[] {digits, at, at, before == null ? Long.MAX_VALUE : before.updateSeq(), PAGE + 1});
                try (ResultSet rows = updates.executeQuery()) {
                    while (rows.next()) {
                        Place p = new Place(rows.getLong("accepted_at"), false, rows.getLong("seq"));
                        placed.add(p);
                        ids.put(p, rows.getString("id"));
                    }
                }
                bind(events, new Object[] {"+" + digits, at, at, before == null ? Long.MAX_VALUE : before.webhookSeq(), PAGE + 1});
                try (ResultSet rows = events.executeQuery()) {
                    while (rows.next()) {
                        placed.add(new Place(rows.getLong("received_at"), true, rows.getLong("seq")));
                    }
                }
            }
            placed.sort(java.util.Comparator.reverseOrder());
            List<String> shown = placed.subList(0, Math.min(PAGE, placed.size())).stream().filter(p -> !p.webhook()).map(ids::get).toList();
            return new StorePage(shown, placed.size() > PAGE ? placed.get(PAGE - 1) : null);
        }

        /**
         * SQLite's plan of every statement behind the console's pages (run with the values the pages give them) and what
         * each costs SQLite alone, here, one thread, every column read.
         */
        static void plans(Path db, Path metaDir) throws Exception {
            java.util.Map<String, String> meta = readMeta(metaDir);
            String heavy = meta.get("heavy_phone");
            long now = System.currentTimeMillis();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                StorePage first = storePage(c, heavy, null);
                StorePage second = first.older() == null ? null : storePage(c, heavy, first.older());
                String letters = "select " + LETTER_COLUMNS + " from dead_letter where id > ?";
                List<Sql> statements = new ArrayList<>();
                statements.add(Sql.of("overview", "pending, per target", "select target, count(*) from lead_update"
                        + " where status = 'PENDING' group by target"));
                for (long window : new long[] {HOUR, DAY}) {
                    List<Object> values = new ArrayList<>();
                    for (String target : TARGETS) { // the demo's sources, as ConsoleResource.targets() gives them
                        for (String status : COUNTED) {
                            values.addAll(List.of(target, status, now - window));
                        }
                    }
                    String name = window == HOUR ? "hour" : "day";
                    statements.add(new Sql("overview", "finished in the last " + name + " (" + TARGETS.length * COUNTED.length + " counts)",
                            FINISHED_COUNT, TARGETS.length * COUNTED.length, values.toArray()));
                    List<Object> letterValues = new ArrayList<>();
                    for (String target : TARGETS) {
                        letterValues.addAll(List.of(target, firstId(now - window)));
                    }
                    statements.add(new Sql("overview", "dead letters in the last " + name + " (" + TARGETS.length + " counts)",
                            LETTER_COUNT, TARGETS.length, letterValues.toArray()));
                }
                for (String source : EVENT_SOURCES) { // the demo's flows start at each of them
                    statements.add(Sql.of("overview", "last carried from " + source, "select " + EVENT_COLUMNS
                            + " from webhook_event where source = ? and status = 'CARRIED' order by received_at desc limit 1",
                            source));
                }
                statements.add(Sql.of("lead", "updates of the heavy phone, newest", UPDATES_OF_PHONE, heavy, Long.MAX_VALUE,
                        Long.MAX_VALUE, Long.MAX_VALUE, PAGE + 1));
                statements.add(Sql.of("lead", "webhook events of the heavy phone, newest", EVENTS_OF_PHONE, "+" + heavy,
                        Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, PAGE + 1));
                if (first.older() != null) {
                    Place o = first.older();
                    statements.add(Sql.of("lead", "updates below " + o, UPDATES_OF_PHONE, heavy, o.at(), o.at(), o.updateSeq(), PAGE + 1));
                    statements.add(Sql.of("lead", "webhook events below " + o, EVENTS_OF_PHONE, "+" + heavy, o.at(), o.at(),
                            o.webhookSeq(), PAGE + 1));
                }
                for (StorePage page : java.util.Arrays.asList(first, second)) {
                    if (page == null) {
                        continue;
                    }
                    String which = page == first ? "newest" : "older";
                    statements.add(Sql.of("lead", "dead letters of " + page.updateIds().size() + " updates (" + which + " page)",
                            "select " + LETTER_COLUMNS + " from dead_letter where update_id in ("
                            + String.join(", ", java.util.Collections.nCopies(page.updateIds().size(), "?")) + ") order by id",
                            page.updateIds().toArray()));
                    statements.add(Sql.of("lead", "history of " + page.updateIds().size() + " updates (" + which + " page)",
                            historyOf(page.updateIds().size()), page.updateIds().toArray()));
                }
                statements.add(Sql.of("lead?q=<update id>", "the update", "select " + UPDATE_COLUMNS + " from lead_update where id = ?",
                        meta.get("few_update")));
                statements.add(Sql.of("dead-letters", "first page", letters + " order by id limit ?", "", PAGE));
                statements.add(Sql.of("dead-letters", "?reason=UNREACHABLE", letters + " and reason = ? order by id limit ?", "",
                        "UNREACHABLE", PAGE));
                statements.add(Sql.of("dead-letters", "?target=superfone&reason=REJECTED", letters
                        + " and target = ? and reason = ? order by id limit ?", "", "superfone", "REJECTED", PAGE));
                statements.add(Sql.of("dead-letters", "after=<middle>", letters + " order by id limit ?", meta.get("middle_letter"),
                        PAGE));
                statements.add(Sql.of("dead-letters", "?since=1h", letters + " order by id limit ?", firstId(now - HOUR), PAGE));
                statements.add(Sql.of("dead-letter", "by id", "select " + LETTER_COLUMNS + " from dead_letter where id = ?",
                        meta.get("middle_letter")));
                statements.add(Sql.of("etl", "newest runs", "select " + ETL_COLUMNS + " from etl_run order by id desc limit ?", PAGE));

                System.out.printf("# %-12s %-42s %8s %8s %5s %7s  %s%n", "page", "statement", "mean ms", "p99 ms", "runs", "rows", "plan");
                int k = 0;
                for (Sql st : statements) {
                    int per = st.params().length / st.times();
                    List<String> steps = new ArrayList<>();
                    try (PreparedStatement explain = c.prepareStatement("explain query plan " + st.sql())) {
                        bind(explain, Arrays.copyOf(st.params(), per));
                        try (ResultSet rows = explain.executeQuery()) {
                            while (rows.next()) {
                                steps.add(rows.getString("detail"));
                            }
                        }
                    }
                    String plan = (st.times() > 1 ? st.times() + " x " : "") + String.join("; ", steps);
                    double[] cost;
                    try (PreparedStatement select = c.prepareStatement(st.sql())) {
                        cost = timeBudgeted(select, st.params(), st.times());
                    }
                    boolean indexed = steps.stream().allMatch(step -> !step.startsWith("SCAN") || step.contains(" INDEX "));
                    System.out.printf(Locale.ROOT, "# %-12s %-42s %8.3f %8.3f %5d %7d  %s%n", st.page(), st.what(), cost[0], cost[1],
                            (long) cost[2], (long) cost[3], plan);
                    String key = "plan" + k++;
                    System.out.printf(Locale.ROOT, "%s_what %s: %s%n%s_mean_ms %.3f%n%s_p99_ms %.3f%n%s_indexed %s%n%s_plan %s%n", key,
                            st.page(), st.what(), key, cost[0], key, cost[1], key, indexed ? "yes" : "NO", key, plan);
                    if (st.times() > 1) { // the overview's counts: what they counted
                        System.out.printf(Locale.ROOT, "%s_counted %d%n", key, (long) cost[4]);
                    }
                }
                System.out.println("#   (mean/p99 ms: the statement alone in SQLite, one thread, every column read, warm; rows: rows"
                        + " it returns; for the counts what they counted is in the summary; 6 x: one run is the 6 counts)");
                if (first.older() != null) {
                    System.out.printf("#   (the heavy phone's newest page: %d updates, older page before=%s; that page: %d updates)%n",
                            first.updateIds().size(), first.older(), second.updateIds().size());
                }
            }
        }

        static void bind(PreparedStatement statement, Object[] params) throws SQLException {
            int i = 0;
            for (Object p : params) {
                if (p instanceof Long l) {
                    statement.setLong(++i, l);
                } else if (p instanceof Integer n) {
                    statement.setInt(++i, n);
                } else {
                    statement.setString(++i, (String) p);
                }
            }
        }

        /**
         * {mean ms, p99 ms, runs, rows, sum of the count column}: up to 50 unmeasured runs (at most 1 s), then up to 200
         * measured (at most 3 s, at least 3), each reading every column of every row. A run is {@code times} executions,
         * each bound to its share of {@code params} in turn.
         */
        static double[] timeBudgeted(PreparedStatement select, Object[] params, int times) throws SQLException {
            int per = params.length / times;
            long[] took = new long[200];
            int runs = 0;
            long rowsSeen = 0;
            long counted = 0;
            long warmEnd = System.nanoTime() + 1_000_000_000L;
            for (int w = 0; w < 50 && System.nanoTime() < warmEnd; w++) {
                for (int t = 0; t < times; t++) {
                    bind(select, Arrays.copyOfRange(params, t * per, (t + 1) * per));
                    readAll(select, null);
                }
            }
            long end = System.nanoTime() + 3_000_000_000L;
            while (runs < took.length && (runs < 3 || System.nanoTime() < end)) {
                long[] seen = new long[2];
                long t0 = System.nanoTime();
                for (int t = 0; t < times; t++) {
                    bind(select, Arrays.copyOfRange(params, t * per, (t + 1) * per));
                    readAll(select, seen);
                }
                took[runs++] = System.nanoTime() - t0;
                rowsSeen = seen[0];
                counted = seen[1];
            }
            long[] sorted = Arrays.copyOf(took, runs);
            Arrays.sort(sorted);
            return new double[] {Arrays.stream(sorted).average().orElse(0) / 1e6, rank(sorted, 0.99) / 1e6, runs, rowsSeen, counted};
        }

        static void readAll(PreparedStatement select, long[] seen) throws SQLException {
            try (ResultSet rows = select.executeQuery()) {
                int n = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int col = 1; col <= n; col++) {
                        rows.getString(col);
                    }
                    if (seen != null) {
                        seen[0]++;
                        if (n <= 3) { // a count: its last column
                            seen[1] += rows.getLong(n);
                        }
                    }
                }
            }
        }

        // ---- the client -----------------------------------------------------------------------------------------

        /** One page: its path, and the check of an answer (null when right) given when it was sent and answered. */
        interface Check {
            String check(int status, String body, long sentMs, long answeredMs);
        }

        record Kind(String name, String path, Check check) {
        }

        static final Pattern EVENT_ITEM = Pattern.compile("<li class=\"event ");
        static final Pattern OLDER = Pattern.compile("before=(\\d+[uw]\\d+)\"");
        static final Pattern LETTER_LINK = Pattern.compile("href=\"dead-letter\\?id=([0-9a-f-]{36})\"");
        static final Pattern NEXT_LINK = Pattern.compile(";after=([0-9a-f-]{36})\"");
        static final Pattern UPDATE_LINK = Pattern.compile("href=\"lead\\?q=([0-9a-f-]{36})\"");
        static final Pattern ROW = Pattern.compile("<tr><th scope=\"row\">([^<]*)</th>(.*?)</tr>", Pattern.DOTALL);
        static final Pattern CELL = Pattern.compile("<td>(.*?)</td>", Pattern.DOTALL);
        static final Pattern FLOW = Pattern.compile("<li><strong>([^<]+)</strong>: (?:last carried [^,]*, lead\\s+<a href=\"lead\\?q=[^\"]*\">([^<]+)</a>|nothing carried yet)");

        static int matches(Pattern pattern, String text) {
            Matcher m = pattern.matcher(text);
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }

        static List<String> all(Pattern pattern, String text) {
            List<String> found = new ArrayList<>();
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                found.add(m.group(1));
            }
            return found;
        }

        static String first(Pattern pattern, String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.group(1) : null;
        }

        /**
         * A place in a lead's timeline, as LeadTimeline.Cursor (ae5d5f4): (time, kind, seq), webhook events above updates in
         * one millisecond; written in the "Older events" link as millis, u or w, seq.
         */
        record Place(long at, boolean webhook, long seq) implements Comparable<Place> {
            static final Pattern TEXT = Pattern.compile("(\\d+)([uw])(\\d+)");

            static Place parse(String text) {
                Matcher m = TEXT.matcher(text);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a timeline cursor: " + text);
                }
                return new Place(Long.parseLong(m.group(1)), m.group(2).equals("w"), Long.parseLong(m.group(3)));
            }

            @Override
            public int compareTo(Place o) {
                return at != o.at ? Long.compare(at, o.at) : webhook != o.webhook ? Boolean.compare(webhook, o.webhook) : Long.compare(seq, o.seq);
            }

            /** The seq LeadTimeline binds for the updates below this place (they sort below a webhook event of its millisecond). */
            long updateSeq() {
                return webhook ? Long.MAX_VALUE : seq;
            }

            /** ... and for the webhook events below it (those of its millisecond sort above an update). */
            long webhookSeq() {
                return webhook ? seq : Long.MIN_VALUE;
            }

            @Override
            public String toString() {
                return at + (webhook ? "w" : "u") + seq;
            }
        }

        /**
         * A phone's updates (their places, ids and how many timeline items each makes: accepted, receipt, its dead letter,
         * its history rows) and its webhook events (places, and what a page shows of them: "millis source status"), both
         * newest first.
         */
        record Lead(String phone, Place[] updates, String[] ids, int[] items, Place[] events, String[] eventKeys) {
            int indexOf(String id) {
                return Arrays.asList(ids).indexOf(id);
            }
        }

        /**
         * What a timeline page must hold: its items, the items of each update shown (id -> count, newest first), the
         * webhook events shown (keys, sorted), its older-page cursor (null: none) and whether it links the newest page.
         */
        record Expected(int items, java.util.Map<String, Integer> updates, List<String> events, Place older, boolean newer) {
        }

        /**
         * A timeline page as LeadTimeline.page defines it, from the seed: every update and event below {@code before} (all
         * when null) in the order (time, kind, seq), newest first; the first PAGE shown; if there are more, the older page
         * starts below the last one shown. Each update shown brings its items (its letter and history with it).
         */
        static Expected timeline(Lead lead, Place before) {
            List<Place> placed = new ArrayList<>();
            java.util.Map<Place, Integer> index = new java.util.HashMap<>();
            for (int k = 0; k < lead.updates().length; k++) {
                if (before == null || lead.updates()[k].compareTo(before) < 0) {
                    placed.add(lead.updates()[k]);
                    index.put(lead.updates()[k], k);
                }
            }
            for (int k = 0; k < lead.events().length; k++) {
                if (before == null || lead.events()[k].compareTo(before) < 0) {
                    placed.add(lead.events()[k]);
                    index.put(lead.events()[k], k);
                }
            }
            placed.sort(java.util.Comparator.reverseOrder());
            int items = 0;
            java.util.Map<String, Integer> updates = new java.util.LinkedHashMap<>();
            List<String> events = new ArrayList<>();
            for (Place p : placed.subList(0, Math.min(PAGE, placed.size()))) {
                int k = index.get(p);
                if (p.webhook()) {
                    events.add(lead.eventKeys()[k]);
                    items++;
                } else {
                    updates.put(lead.ids()[k], lead.items()[k]);
                    items += lead.items()[k];
                }
            }
            java.util.Collections.sort(events);
            return new Expected(items, updates, events, placed.size() > PAGE ? placed.get(PAGE - 1) : null, before != null);
        }

        /**
         * The page LeadTimeline.find shows for an update id: the newest if it holds the update, else the page that starts
         * with it (below its place with seq + 1), with a link to the newest.
         */
        static Expected forUpdate(Lead lead, String id) {
            Expected newest = timeline(lead, null);
            if (newest.updates().containsKey(id)) {
                return newest;
            }
            Place p = lead.updates()[lead.indexOf(id)];
            return timeline(lead, new Place(p.at(), false, p.seq() + 1));
        }

        static Lead lead(int index, String phone, long[] uHi, long[] uLo, long[] uAccepted, int[] uPhone, byte[] uReason, byte[] uHistory,
                long[] eReceived, int[] ePhone, byte[] eSource, byte[] eStatus) {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < uPhone.length; i++) {
                if (uPhone[i] == index) {
                    mine.add(i);
                }
            }
            // seq: the insertion order (console-seed gives it so), i + 1
            mine.sort((a, b) -> new Place(uAccepted[b], false, b + 1L).compareTo(new Place(uAccepted[a], false, a + 1L)));
            Place[] updates = new Place[mine.size()];
            String[] ids = new String[mine.size()];
            int[] items = new int[mine.size()];
            for (int k = 0; k < mine.size(); k++) {
                int i = mine.get(k);
                updates[k] = new Place(uAccepted[i], false, i + 1L);
                ids[k] = uuid(uHi[i], uLo[i]);
                items[k] = 2 + (uReason[i] >= 0 ? 1 : 0) + uHistory[i];
            }
            List<Integer> theirs = new ArrayList<>();
            for (int i = 0; i < ePhone.length; i++) {
                if (ePhone[i] == index) {
                    theirs.add(i);
                }
            }
            theirs.sort((a, b) -> new Place(eReceived[b], true, b + 1L).compareTo(new Place(eReceived[a], true, a + 1L)));
            Place[] events = new Place[theirs.size()];
            String[] keys = new String[theirs.size()];
            for (int k = 0; k < theirs.size(); k++) {
                int i = theirs.get(k);
                events[k] = new Place(eReceived[i], true, i + 1L);
                keys[k] = eReceived[i] + " " + EVENT_SOURCES[eSource[i]] + " " + EVENT_STATUSES[eStatus[i]];
            }
            return new Lead(phone, updates, ids, items, events, keys);
        }

        /** One item of a timeline page as the page shows it: kind, marked asked, time, badge, target or source, its update. */
        record Shown(String kind, boolean asked, long at, String status, String target, String updateId) {
            String eventKey() {
                return at + " " + target + " " + status;
            }
        }

        static final Pattern ITEM = Pattern.compile("<li class=\"event kind-([a-z-]+)( asked)?\">\\s*<p class=\"when\"><time datetime=\"([^\"]+)\">"
                + "[^<]*</time>\\s*<span class=\"badge status-[a-z-]*\">([^<]*)</span> <span class=\"target\">([^<]*)</span>");

        /** The items of a timeline page, in the page's order; each with the update its "update" link names (null: none). */
        static List<Shown> shown(String body) {
            List<Shown> items = new ArrayList<>();
            Matcher m = ITEM.matcher(body);
            List<int[]> spans = new ArrayList<>();
            List<String[]> heads = new ArrayList<>();
            while (m.find()) {
                spans.add(new int[] {m.start(), m.end()});
                heads.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)});
            }
            for (int k = 0; k < spans.size(); k++) {
                int end = k + 1 < spans.size() ? spans.get(k + 1)[0] : body.indexOf("</ol>", spans.get(k)[1]);
                String[] h = heads.get(k);
                items.add(new Shown(h[0], h[1] != null, java.time.Instant.parse(h[2]).toEpochMilli(), h[3], h[4],
                        first(UPDATE_LINK, body.substring(spans.get(k)[1], end < 0 ? body.length() : end))));
            }
            return items;
        }

        /** What is wrong with a timeline page against what it must hold (null: nothing); {@code asked}: the update id searched. */
        static String timelineCheck(String what, Lead lead, Expected expected, String asked, int status, String body) {
            if (status != 200) {
                return what + " answered " + status + ": " + abbreviate(body);
            }
            if (!body.contains("<h2>Lead +" + lead.phone() + "</h2>")) {
                return what + " is not the timeline of +" + lead.phone() + ": " + abbreviate(body);
            }
            List<Shown> items = shown(body);
            int all = matches(EVENT_ITEM, body);
            if (items.size() != all || all != expected.items()) {
                return what + " shows " + all + " events (" + items.size() + " read), not the " + expected.items() + " expected";
            }
            java.util.Map<String, Integer> updates = new java.util.LinkedHashMap<>();
            List<String> events = new ArrayList<>();
            int marked = 0;
            for (Shown item : items) {
                if (item.kind().equals("webhook")) {
                    events.add(item.eventKey());
                } else if (item.updateId() != null) {
                    updates.merge(item.updateId(), 1, Integer::sum);
                }
                if (item.asked() != (asked != null && asked.equals(item.updateId()))) {
                    return what + " marks an item of update " + item.updateId() + (item.asked() ? "" : " not") + " as the one asked for";
                }
                marked += item.asked() ? 1 : 0;
            }
            if (!new java.util.TreeMap<>(updates).equals(new java.util.TreeMap<>(expected.updates()))) {
                return what + " shows " + updates.size() + " updates (items per update " + new java.util.TreeMap<>(updates) + "), not the "
                        + expected.updates().size() + " expected " + new java.util.TreeMap<>(expected.updates());
            }
            java.util.Collections.sort(events);
            if (!events.equals(expected.events())) {
                return what + " shows the webhook events " + events + ", not " + expected.events();
            }
            if (asked != null && marked == 0) {
                return what + " does not show the update asked for, " + asked;
            }
            String older = first(OLDER, body);
            if (!java.util.Objects.equals(older, expected.older() == null ? null : expected.older().toString())) {
                return what + " links the older page before=" + older + ", not " + expected.older();
            }
            if (body.contains(">Newest events</a>") != expected.newer()) {
                return what + (expected.newer() ? " does not link" : " links") + " the newest events";
            }
            return null;
        }

        static void load(String base, Path metaDir, String key, int c, int requests, int warmup, Path routesDir) throws Exception {
            java.util.Map<String, String> meta = readMeta(metaDir);
            long[] uHi;
            long[] uLo;
            long[] uAccepted;
            long[] uUpdated;
            int[] uPhone;
            byte[] uTarget;
            byte[] uStatus;
            byte[] uReason;
            byte[] uHistory;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(metaDir.resolve("console.updates")), 1 << 16))) {
                int n = in.readInt();
                uHi = new long[n];
                uLo = new long[n];
                uAccepted = new long[n];
                uUpdated = new long[n];
                uPhone = new int[n];
                uTarget = new byte[n];
                uStatus = new byte[n];
                uReason = new byte[n];
                uHistory = new byte[n];
                for (int i = 0; i < n; i++) {
                    uHi[i] = in.readLong();
                    uLo[i] = in.readLong();
                    uAccepted[i] = in.readLong();
                    uUpdated[i] = in.readLong();
                    uPhone[i] = in.readInt();
                    uTarget[i] = in.readByte();
                    uStatus[i] = in.readByte();
                    uReason[i] = in.readByte();
                    uHistory[i] = in.readByte();
                }
            }
            String[] lId;
            long[] lFailed;
            int[] lUpdate;
            byte[] lTarget;
            byte[] lReason;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(metaDir.resolve("console.letters")), 1 << 16))) {
                int n = in.readInt();
                lId = new String[n];
                lFailed = new long[n];
                lUpdate = new int[n];
                lTarget = new byte[n];
                lReason = new byte[n];
                for (int i = 0; i < n; i++) {
                    lId[i] = uuid(in.readLong(), in.readLong());
                    lFailed[i] = in.readLong();
                    lUpdate[i] = in.readInt();
                    lTarget[i] = in.readByte();
                    lReason[i] = in.readByte();
                }
            }
            long[] eReceived;
            int[] ePhone;
            byte[] eSource;
            byte[] eStatus;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(metaDir.resolve("console.events")), 1 << 16))) {
                int n = in.readInt();
                eReceived = new long[n];
                ePhone = new int[n];
                eSource = new byte[n];
                eStatus = new byte[n];
                for (int i = 0; i < n; i++) {
                    eReceived[i] = in.readLong();
                    ePhone[i] = in.readInt();
                    eSource[i] = in.readByte();
                    eStatus[i] = in.readByte();
                }
            }
            // The overview's sync flows: the latest CARRIED event of each source, by received_at (ties: the later one).
            String[] lastCarried = new String[EVENT_SOURCES.length];
            long[] lastCarriedAt = new long[EVENT_SOURCES.length];
            Arrays.fill(lastCarriedAt, Long.MIN_VALUE);
            for (int i = 0; i < eReceived.length; i++) {
                if (EVENT_STATUSES[eStatus[i]].equals("CARRIED") && eReceived[i] >= lastCarriedAt[eSource[i]]) {
                    lastCarriedAt[eSource[i]] = eReceived[i];
                    lastCarried[eSource[i]] = "+" + Console.phone(ePhone[i]);
                }
            }
            if (uHi.length == 0 || lId.length == 0) {
                fail("the seed has no updates or no dead letters");
            }

            // The overview's figures: finished times per target and status, sorted.
            long[][][] finished = new long[TARGETS.length][STATUSES.length][];
            int[][] filled = new int[TARGETS.length][STATUSES.length];
            for (int i = 0; i < uHi.length; i++) {
                filled[uTarget[i]][uStatus[i]]++;
            }
            for (int t = 0; t < TARGETS.length; t++) {
                for (int s = 0; s < STATUSES.length; s++) {
                    finished[t][s] = new long[filled[t][s]];
                    filled[t][s] = 0;
                }
            }
            for (int i = 0; i < uHi.length; i++) {
                finished[uTarget[i]][uStatus[i]][filled[uTarget[i]][uStatus[i]]++] = uUpdated[i];
            }
            for (long[][] byStatus : finished) {
                for (long[] times : byStatus) {
                    Arrays.sort(times);
                }
            }
            // Each target's dead letters by the time in their ids (the overview counts them by id since ae5d5f4), sorted.
            long[][] lettersAt = new long[TARGETS.length][];
            for (int t = 0; t < TARGETS.length; t++) {
                int target = t;
                lettersAt[t] = java.util.stream.IntStream.range(0, lId.length).filter(k -> lTarget[k] == target)
                        .mapToLong(k -> UUID.fromString(lId[k]).getMostSignificantBits() >>> 16).sorted().toArray();
            }
            // Dead letters in id order (the console's order).
            Integer[] order = new Integer[lId.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> lId[a].compareTo(lId[b]));
            String[] sortedIds = Arrays.stream(order).map(i -> lId[i]).toArray(String[]::new);
            long[] sortedFailed = Arrays.stream(order).mapToLong(i -> lFailed[i]).toArray();

            int heavyIndex = Integer.parseInt(meta.get("heavy_index"));
            int fewIndex = Integer.parseInt(meta.get("few_index"));
            Lead heavy = lead(heavyIndex, meta.get("heavy_phone"), uHi, uLo, uAccepted, uPhone, uReason, uHistory, eReceived, ePhone,
                    eSource, eStatus);
            Lead few = lead(fewIndex, meta.get("few_phone"), uHi, uLo, uAccepted, uPhone, uReason, uHistory, eReceived, ePhone, eSource,
                    eStatus);
            String fewUpdate = meta.get("few_update");
            String heavyOldest = meta.get("heavy_oldest_update");
            String middle = meta.get("middle_letter");
            int etlRuns = Integer.parseInt(meta.get("etl_runs"));
            Expected fewFirst = timeline(few, null);
            Expected heavyFirst = timeline(heavy, null);
            Expected heavySecond = heavyFirst.older() == null ? null : timeline(heavy, heavyFirst.older());
            Expected fewAsked = forUpdate(few, fewUpdate);
            Expected heavyAsked = heavyOldest == null ? null : forUpdate(heavy, heavyOldest);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

            // ---- signing in
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/console/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (anonymous.statusCode() != 303 || !"sign-in".equals(anonymous.headers().firstValue("location").orElse(""))) {
                fail("GET /console/ without a session answered " + anonymous.statusCode() + " " + anonymous.headers().map()
                        + ", not 303 to sign-in (is LEADSYNC_API_KEY set?)");
            }
            HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String csrf = cookie(form, "leadsync_console_csrf");
            if (form.statusCode() != 200 || csrf == null || !form.body().contains("name=\"csrf\" value=\"" + csrf + "\"")) {
                fail("GET /console/sign-in answered " + form.statusCode() + " without a csrf cookie matching its form: "
                        + form.headers().map());
            }
            HttpResponse<String> refused = signIn(http, base, csrf, key + "-not");
            if (refused.statusCode() != 401 || cookie(refused, "leadsync_console") != null) {
                fail("POST /console/sign-in with a wrong key answered " + refused.statusCode() + ", not 401 without a session");
            }
            HttpResponse<String> signedIn = signIn(http, base, csrf, key);
            String session = cookie(signedIn, "leadsync_console");
            if (signedIn.statusCode() != 303 || session == null || session.isEmpty()) {
                fail("POST /console/sign-in with the key answered " + signedIn.statusCode() + " " + signedIn.headers().map());
            }
            String cookies = "leadsync_console=" + session + "; leadsync_console_csrf=" + csrf;
            System.out.println("# signed in: GET /console/ without a session -> 303 sign-in; GET /console/sign-in -> 200 and the"
                    + " form token cookie; POST a wrong key -> 401; POST the key -> 303 and a session cookie, used by every request below");

            // ---- the pages and their checks
            List<Kind> kinds = new ArrayList<>();
            kinds.add(new Kind("/console/ (overview)", "/console/", (status, body, sent, answered) -> {
                if (status != 200 || !body.contains("<h1>Overview</h1>")) {
                    return "GET /console/ answered " + status + ": " + abbreviate(body);
                }
                Matcher row = ROW.matcher(body.substring(Math.max(0, body.indexOf("id=\"updates\""))));
                List<String> seen = new ArrayList<>();
                while (row.find()) {
                    int t = Arrays.asList(TARGETS).indexOf(row.group(1));
                    if (t < 0) {
                        break; // past the counts table
                    }
                    seen.add(row.group(1));
                    List<String> cells = all(CELL, row.group(2)).stream().map(v -> v.replaceAll("<[^>]*>", "").trim()).toList();
                    if (cells.size() != 7 || !cells.get(0).equals("0")) {
                        return "the overview's row of " + row.group(1) + " is not 7 cells with 0 pending: " + cells;
                    }
                    // Delivered, skipped (updates finished since), dead letters (letters whose id is of that time or later:
                    // the list the number links to) — for the last hour, then the last day.
                    List<String> raw = all(CELL, row.group(2));
                    int cell = 1;
                    for (long window : new long[] {HOUR, DAY}) {
                        for (int s = 0; s < STATUSES.length; s++) {
                            long got = Long.parseLong(cells.get(cell));
                            long[] times = STATUSES[s].equals("DEAD_LETTER") ? lettersAt[t] : finished[t][s];
                            long most = times.length - lowerBound(times, sent - window);
                            long least = times.length - lowerBound(times, answered - window);
                            if (got < least || got > most) {
                                return "the overview counts " + got + (STATUSES[s].equals("DEAD_LETTER") ? " dead letters" : " " + STATUSES[s])
                                        + " for " + TARGETS[t] + " in the last " + (window == HOUR ? "hour" : "day") + ", the seed "
                                        + least + (least == most ? "" : ".." + most);
                            }
                            String link = "href=\"dead-letters?target=" + java.net.URLEncoder.encode(TARGETS[t], java.nio.charset.StandardCharsets.UTF_8)
                                    + "&amp;since=" + (window == HOUR ? "1h" : "1d") + "\"";
                            if (STATUSES[s].equals("DEAD_LETTER") && got > 0 && !raw.get(cell).contains(link)) {
                                return "the overview's " + got + " dead letters of " + TARGETS[t] + " do not link " + link + ": " + raw.get(cell);
                            }
                            cell++;
                        }
                    }
                }
                // Each sync flow of the demo names the lead of the latest change carried from its source.
                Matcher flow = FLOW.matcher(body);
                int flows = 0;
                while (flow.find()) {
                    flows++;
                    String source = flow.group(1).split("&gt;|>", 2)[0];
                    int src = Arrays.asList(EVENT_SOURCES).indexOf(source);
                    String expected = src < 0 ? null : lastCarried[src];
                    if (!java.util.Objects.equals(flow.group(2), expected)) {
                        return "the overview's flow " + flow.group(1) + " shows the last change carried for lead " + flow.group(2)
                                + ", the seed " + expected;
                    }
                }
                if (flows == 0 || !body.contains("<h2 id=\"flows\">")) {
                    return "the overview lists no sync flow with its last carried change: " + abbreviate(body);
                }
                for (int t = 0; t < TARGETS.length; t++) {
                    long inDay = lettersAt[t].length - lowerBound(lettersAt[t], answered - DAY);
                    for (String counted : COUNTED) {
                        long[] times = finished[t][Arrays.asList(STATUSES).indexOf(counted)];
                        inDay += times.length - lowerBound(times, answered - DAY);
                    }
                    if (inDay > 0 && !seen.contains(TARGETS[t])) {
                        return "the overview has no row for " + TARGETS[t] + " (" + inDay + " updates finished and letters in the last day)";
                    }
                }
                return null;
            }));
            kinds.add(new Kind("/console/lead?q=<phone, " + few.updates().length + " updates>", "/console/lead?q=" + few.phone(),
                    (status, body, sent, answered) -> timelineCheck("the timeline of +" + few.phone(), few, fewFirst, null, status, body)));
            kinds.add(new Kind("/console/lead?q=<phone, " + heavy.updates().length + " updates>", "/console/lead?q=" + heavy.phone(),
                    (status, body, sent, answered) -> timelineCheck("the timeline of +" + heavy.phone(), heavy, heavyFirst, null, status, body)));
            if (heavySecond != null) {
                String before = heavyFirst.older().toString();
                kinds.add(new Kind("  its older page (before=)", "/console/lead?q=" + heavy.phone() + "&before=" + before,
                        (status, body, sent, answered) -> timelineCheck("the older page of +" + heavy.phone() + " (before=" + before + ")",
                                heavy, heavySecond, null, status, body)));
            }
            if (heavyAsked != null && heavyAsked.newer()) { // an update further back than the newest page: the page that holds it
                kinds.add(new Kind("  its oldest update (q=<update id>)", "/console/lead?q=" + heavyOldest,
                        (status, body, sent, answered) -> timelineCheck("the timeline of update " + heavyOldest + " (+" + heavy.phone()
                                + "'s oldest)", heavy, heavyAsked, heavyOldest, status, body)));
            }
            kinds.add(new Kind("/console/lead?q=<update id>", "/console/lead?q=" + fewUpdate,
                    (status, body, sent, answered) -> timelineCheck("the timeline of update " + fewUpdate, few, fewAsked, fewUpdate,
                            status, body)));
            int superfone = Arrays.asList(TARGETS).indexOf("superfone");
            int unreachable = Arrays.asList(REASONS).indexOf("UNREACHABLE");
            int rejected = Arrays.asList(REASONS).indexOf("REJECTED");
            for (Object[] f : new Object[][] {{"", -1, -1, null}, {"?reason=UNREACHABLE", -1, unreachable, null},
                    {"?target=superfone&reason=REJECTED", superfone, rejected, null}, {"?after=<middle>", -1, -1, middle}}) {
                String label = (String) f[0];
                int ft = (Integer) f[1];
                int fr = (Integer) f[2];
                String after = (String) f[3];
                List<String> matching = new ArrayList<>();
                for (int k : order) {
                    if ((ft < 0 || lTarget[k] == ft) && (fr < 0 || lReason[k] == fr) && (after == null || lId[k].compareTo(after) > 0)) {
                        matching.add(lId[k]);
                    }
                }
                List<String> expected = matching.subList(0, Math.min(PAGE, matching.size()));
                String path = "/console/dead-letters" + label.replace("<middle>", middle);
                kinds.add(new Kind("/console/dead-letters" + label, path,
                        (status, body, sent, answered) -> letterPage(path, expected, status, body)));
            }
            kinds.add(new Kind("/console/dead-letters?since=1h", "/console/dead-letters?since=1h", (status, body, sent, answered) -> {
                int lo = lowerBound(sortedFailed, sent - HOUR);
                int hi = lowerBound(sortedFailed, answered - HOUR);
                List<String> ids = all(LETTER_LINK, body);
                int from = ids.isEmpty() ? hi : Arrays.binarySearch(sortedIds, ids.get(0));
                if (from < lo || from > hi) {
                    return "/console/dead-letters?since=1h starts at letter #" + from + " in id order, not within #" + lo + ".." + hi;
                }
                return letterPage("/console/dead-letters?since=1h",
                        Arrays.asList(sortedIds).subList(from, Math.min(sortedIds.length, from + PAGE)), status, body);
            }));
            int middleIndex = Arrays.asList(lId).indexOf(middle);
            String middleUpdate = uuid(uHi[lUpdate[middleIndex]], uLo[lUpdate[middleIndex]]);
            kinds.add(new Kind("/console/dead-letter?id=<letter>", "/console/dead-letter?id=" + middle, (status, body, sent, answered) -> {
                if (status != 200 || !body.contains("<dd>" + middle + "</dd>") || !body.contains("<dd>" + TARGETS[lTarget[middleIndex]] + "</dd>")
                        || !body.contains(">" + REASONS[lReason[middleIndex]] + "</span>") || !body.contains("href=\"lead?q=" + middleUpdate + "\"")
                        || !body.contains("+" + Console.phone(uPhone[lUpdate[middleIndex]]))) {
                    return "/console/dead-letter?id=" + middle + " answered " + status + ", not the letter of update " + middleUpdate + ": "
                            + abbreviate(body);
                }
                return null;
            }));
            int[] stageRows = {-1};
            kinds.add(new Kind("/console/stages", "/console/stages", (status, body, sent, answered) -> {
                if (status != 200 || !body.contains("<h1>Stages</h1>")) {
                    return "/console/stages answered " + status + ": " + abbreviate(body);
                }
                for (String t : TARGETS) {
                    if (!Pattern.compile("<h2 id=\"stages-\\d+\">" + Pattern.quote(t) + " <span class=\"badge state-ok\">OK</span>").matcher(body).find()) {
                        return "/console/stages does not show " + t + " OK";
                    }
                }
                int rows = matches(Pattern.compile("<tr><td class=\"text\">"), body);
                synchronized (stageRows) {
                    if (stageRows[0] < 0) {
                        stageRows[0] = rows;
                    }
                }
                return rows > 0 && rows == stageRows[0] ? null : "/console/stages lists " + rows + " stages, first " + stageRows[0];
            }));
            List<String> routeFiles = new ArrayList<>();
            try (var files = Files.list(routesDir)) {
                files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".yaml")).sorted().forEach(routeFiles::add);
            }
            kinds.add(new Kind("/console/routes", "/console/routes", (status, body, sent, answered) -> {
                if (status != 200 || !body.contains("<h1>Routes</h1>")) {
                    return "/console/routes answered " + status + ": " + abbreviate(body);
                }
                int rows = matches(ROW, body);
                for (String file : routeFiles) {
                    if (!body.contains("<th scope=\"row\">" + file + "</th>")) {
                        return "/console/routes does not list " + file;
                    }
                }
                return rows == routeFiles.size() ? null : "/console/routes lists " + rows + " files, not " + routeFiles.size();
            }));
            kinds.add(new Kind("/console/etl", "/console/etl", (status, body, sent, answered) -> {
                if (status != 200 || !body.contains("<h1>ETL</h1>")) {
                    return "/console/etl answered " + status + ": " + abbreviate(body);
                }
                int buttons = matches(Pattern.compile("<button type=\"submit\">Run "), body);
                int rows = matches(ROW, body);
                return buttons == JOBS.length && rows == Math.min(PAGE, etlRuns) ? null
                        : "/console/etl shows " + buttons + " jobs and " + rows + " runs, not " + JOBS.length + " and " + Math.min(PAGE, etlRuns);
            }));

            // ---- once, unmeasured: each page checked, the heavy phone's timeline walked to its end, an old update looked up
            System.out.printf("# %-48s %s%n", "page", "answer (checked against the seed)");
            for (Kind kind : kinds) {
                long sent = System.currentTimeMillis();
                HttpResponse<String> answer = get(http, base + kind.path(), cookies);
                String wrong = kind.check().check(answer.statusCode(), answer.body(), sent, System.currentTimeMillis());
                if (wrong != null) {
                    fail(wrong);
                }
                System.out.printf(Locale.ROOT, "# %-48s %d, %.1f KiB%s%n", kind.name(), answer.statusCode(), answer.body().length() / 1024.0,
                        describe(kind, answer.body()));
            }
            walk(http, base, cookies, heavy, heavyOldest, heavyAsked);

            List<String[]> watched = watched();
            System.out.printf("# warm-up: %d unmeasured requests of each of the %d pages, %d thread(s)%n", warmup, kinds.size(), c);
            for (Kind kind : kinds) {
                run(http, base, cookies, kind, warmup, c, null);
            }
            System.out.printf("# measured: %d requests of each page, one page after the other, %d thread(s) (closed loop)%n", requests, c);
            System.out.printf("# %-48s %7s %7s %7s %6s %7s %9s %9s %7s %6s%n", "page", "p50 ms", "p99 ms", "max ms", "req/s",
                    "KiB/ans", "app ms/rq", "cli ms/rq", "other s", "busy%");
            int k = 0;
            for (Kind kind : kinds) {
                long[] nanos = new long[requests];
                long[] bytes = new long[1];
                long[] before = cpuSnapshot(watched);
                long t0 = System.nanoTime();
                run(http, base, cookies, kind, requests, c, new Recorder(nanos, bytes));
                long elapsed = System.nanoTime() - t0;
                long[] after = cpuSnapshot(watched);
                long[] sorted = nanos.clone();
                Arrays.sort(sorted);
                double p50 = rank(sorted, 0.50) / 1e6;
                double p99 = rank(sorted, 0.99) / 1e6;
                double max = sorted[sorted.length - 1] / 1e6;
                double rps = requests / (elapsed / 1e9);
                String[] cpu = cpuFigures(watched, before, after, requests);
                System.out.printf(Locale.ROOT, "# %-48s %7.2f %7.2f %7.1f %6.0f %7.1f %9s %9s %7s %6s%n", kind.name(), p50, p99, max, rps,
                        bytes[0] / 1024.0 / requests, cpu[0], cpu[1], cpu[2], cpu[3]);
                String id = "page" + k++;
                System.out.printf(Locale.ROOT, "%s_name %s%n%s_p50_ms %.2f%n%s_p99_ms %.2f%n%s_max_ms %.1f%n%s_rps %.0f%n%s_app_ms %s%n"
                        + "%s_kib %.1f%n%s_other_s %s%n", id, kind.name().strip().replace(' ', '_'), id, p50, id, p99, id, max, id, rps, id,
                        cpu[0], id, bytes[0] / 1024.0 / requests, id, cpu[2]);
            }
            System.out.println("pages " + k);
            System.out.println("#   (app / cli ms/rq: CPU time (utime + stime) of leadsync / of this client over the page's window, per request;");
            System.out.println("#    other s: CPU time of everything but the two in that window; busy%: all cores; see bench/README.md)");
        }

        static String describe(Kind kind, String body) {
            int items = matches(EVENT_ITEM, body);
            if (items > 0) {
                String older = first(OLDER, body);
                return ": " + items + " events" + (older == null ? ", no older page" : ", older page before=" + older);
            }
            int letters = matches(LETTER_LINK, body);
            if (kind.path().startsWith("/console/dead-letters")) {
                return ": " + letters + " letters" + (first(NEXT_LINK, body) == null ? ", no next page" : ", a next page");
            }
            int rows = matches(ROW, body);
            return rows > 0 ? ": " + rows + " table rows" : "";
        }

        static String letterPage(String path, List<String> expected, int status, String body) {
            if (status != 200) {
                return path + " answered " + status + ": " + abbreviate(body);
            }
            List<String> ids = all(LETTER_LINK, body);
            if (!ids.equals(expected)) {
                return path + " lists " + ids.size() + " letters, not the " + expected.size() + " expected"
                        + (ids.isEmpty() || expected.isEmpty() ? "" : " (first " + ids.get(0) + ", expected " + expected.get(0) + ")");
            }
            String next = first(NEXT_LINK, body);
            String expectedNext = expected.size() == PAGE ? expected.get(PAGE - 1) : null;
            if (!java.util.Objects.equals(next, expectedNext)) {
                return path + " links the next page after=" + next + ", not " + expectedNext;
            }
            if (!expected.isEmpty() && !body.contains("Oldest first, " + expected.size() + " on this page")) {
                return path + " does not say it shows " + expected.size() + " letters";
            }
            return null;
        }

        /**
         * Follows the heavy phone's "Older events" links to the end, once: every one of its updates and webhook events must
         * be on exactly one page (fails if one is lost or shown twice), and each page must be the one the seed gives for its
         * cursor. Then looks its oldest update up by id: the page must hold that update (marked) and link the newest.
         */
        static void walk(HttpClient http, String base, String cookies, Lead heavy, String oldest, Expected oldestPage) throws Exception {
            java.util.Map<String, Integer> updatePages = new java.util.HashMap<>(); // update id -> pages it was on
            java.util.Map<String, Integer> eventsSeen = new java.util.TreeMap<>();  // "millis source status" -> times shown
            int pages = 0;
            int modelPages = 0;
            for (Place p = null; modelPages == 0 || p != null; p = timeline(heavy, p).older()) {
                modelPages++;
            }
            String older = null;
            String wrongPage = null;
            do {
                String url = base + "/console/lead?q=" + heavy.phone() + (older == null ? "" : "&before=" + older);
                HttpResponse<String> answer = get(http, url, cookies);
                if (answer.statusCode() != 200) {
                    fail("the timeline of +" + heavy.phone() + " before=" + older + " answered " + answer.statusCode());
                }
                pages++;
                List<Shown> items = shown(answer.body());
                items.stream().map(Shown::updateId).filter(java.util.Objects::nonNull).distinct()
                        .forEach(id -> updatePages.merge(id, 1, Integer::sum));
                items.stream().filter(i -> i.kind().equals("webhook")).forEach(i -> eventsSeen.merge(i.eventKey(), 1, Integer::sum));
                if (wrongPage == null) {
                    wrongPage = timelineCheck("the page before=" + older, heavy, timeline(heavy, older == null ? null : Place.parse(older)),
                            null, answer.statusCode(), answer.body());
                }
                older = first(OLDER, answer.body());
            } while (older != null && pages < 10_000);
            java.util.Map<String, Integer> eventsExpected = new java.util.TreeMap<>();
            for (String key : heavy.eventKeys()) {
                eventsExpected.merge(key, 1, Integer::sum);
            }
            List<String> lostUpdates = Arrays.stream(heavy.ids()).filter(id -> !updatePages.containsKey(id)).toList();
            List<String> repeatedUpdates = updatePages.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + " x"
                    + e.getValue()).sorted().toList();
            List<String> strangers = updatePages.keySet().stream().filter(id -> heavy.indexOf(id) < 0).sorted().toList();
            List<String> lostEvents = new ArrayList<>();
            List<String> repeatedEvents = new ArrayList<>();
            java.util.Set<String> keys = new java.util.TreeSet<>(eventsExpected.keySet());
            keys.addAll(eventsSeen.keySet());
            for (String key : keys) {
                int want = eventsExpected.getOrDefault(key, 0);
                int got = eventsSeen.getOrDefault(key, 0);
                if (got < want) {
                    lostEvents.add(key + (want > 1 ? " (" + got + " of " + want + ")" : ""));
                } else if (got > want) {
                    repeatedEvents.add(key + " x" + got + (want != 1 ? " (the seed has " + want + ")" : ""));
                }
            }
            int eventsShown = eventsSeen.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("# walk of +%s's timeline through its \"Older events\" links (cursor time u|w seq): %d pages (the seed's"
                    + " model: %d); %d of its %d updates and %d of its %d webhook events shown, %d updates and %d events lost, %d"
                    + " and %d shown twice%n", heavy.phone(), pages, modelPages, updatePages.size(), heavy.ids().length, eventsShown,
                    heavy.events().length, lostUpdates.size(), lostEvents.size(), repeatedUpdates.size(), repeatedEvents.size());
            System.out.println("walk_pages " + pages);
            System.out.println("walk_updates " + updatePages.size());
            System.out.println("walk_events " + eventsShown);
            System.out.println("walk_lost " + (lostUpdates.size() + lostEvents.size()));
            System.out.println("walk_repeated " + (repeatedUpdates.size() + repeatedEvents.size()));
            if (!lostUpdates.isEmpty() || !lostEvents.isEmpty() || !repeatedUpdates.isEmpty() || !repeatedEvents.isEmpty()
                    || !strangers.isEmpty()) {
                fail("CONSOLE BUG: walking +" + heavy.phone() + "'s timeline lost updates " + lostUpdates + " and events " + lostEvents
                        + ", showed twice updates " + repeatedUpdates + " and events " + repeatedEvents
                        + (strangers.isEmpty() ? "" : ", and showed updates not the lead's " + strangers));
            }
            if (wrongPage != null) {
                fail(wrongPage);
            }
            if (pages != modelPages) {
                fail("the walk took " + pages + " pages, the seed's model " + modelPages);
            }
            if (oldest == null || oldestPage == null) {
                return;
            }
            HttpResponse<String> answer = get(http, base + "/console/lead?q=" + oldest, cookies);
            String wrong = timelineCheck("the timeline of update " + oldest + " (+" + heavy.phone() + "'s oldest)", heavy, oldestPage,
                    oldest, answer.statusCode(), answer.body());
            if (wrong != null) {
                fail(wrong);
            }
            long marked = shown(answer.body()).stream().filter(Shown::asked).count();
            System.out.printf("# /console/lead?q=<the oldest update of +%s>: %d, %d events, %d of them the update asked for (marked),"
                    + " %s, %s%n", heavy.phone(), answer.statusCode(), matches(EVENT_ITEM, answer.body()), marked,
                    oldestPage.newer() ? "a link to the newest events" : "the newest page",
                    oldestPage.older() == null ? "no older page" : "older page before=" + oldestPage.older());
            System.out.println("old_update_shown yes");
        }

        static HttpResponse<String> get(HttpClient http, String url, String cookies) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Cookie", cookies).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        static HttpResponse<String> signIn(HttpClient http, String base, String csrf, String key) throws Exception {
            String form = "csrf=" + java.net.URLEncoder.encode(csrf, java.nio.charset.StandardCharsets.UTF_8) + "&key="
                    + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);
            return http.send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "leadsync_console_csrf=" + csrf)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** A cookie's value from an answer's Set-Cookie headers (quotes removed), or null. */
        static String cookie(HttpResponse<?> answer, String name) {
            for (String header : answer.headers().allValues("set-cookie")) {
                String pair = header.split(";", 2)[0].trim();
                if (pair.startsWith(name + "=")) {
                    String value = pair.substring(name.length() + 1);
                    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
                }
            }
            return null;
        }

        /** The first index whose value is >= key, in an ascending array. */
        static int lowerBound(long[] sorted, long key) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** n GETs of a page by c threads over a shared counter; every answer checked; the first wrong one fails the run. */
        static void run(HttpClient http, String base, String cookies, Kind kind, int n, int c, Recorder recorder) throws Exception {
            AtomicInteger next = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            long[] bytes = new long[c];
            Thread[] threads = new Thread[c];
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + kind.path())).timeout(Duration.ofSeconds(60))
                    .header("Cookie", cookies).GET().build();
            for (int t = 0; t < c; t++) {
                int thread = t;
                threads[t] = new Thread(() -> {
                    for (int i; (i = next.getAndIncrement()) < n && failures.isEmpty();) {
                        long sent = System.currentTimeMillis();
                        long t0 = System.nanoTime();
                        HttpResponse<String> answer;
                        try {
                            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                        } catch (Exception e) {
                            failures.add(request.uri() + ": " + e);
                            return;
                        }
                        long took = System.nanoTime() - t0;
                        String wrong = kind.check().check(answer.statusCode(), answer.body(), sent, System.currentTimeMillis());
                        if (wrong != null) {
                            failures.add(wrong);
                            return;
                        }
                        if (recorder != null) {
                            recorder.nanos()[i] = took;
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
                recorder.bytes()[0] = Arrays.stream(bytes).sum();
            }
        }
    }
}
