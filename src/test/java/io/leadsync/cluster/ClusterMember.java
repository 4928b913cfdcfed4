package io.leadsync.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.cluster.CamelClusterService;

/**
 * A replica in a JVM of its own, for the tests that kill one with SIGKILL. Prints LEADER or FOLLOWER on each
 * change of its leadership, and runs until killed.
 * Arguments: {@code postgres <jdbc url> <user> <password> <takeover ms>} or {@code file <root> <takeover ms>}.
 */
public final class ClusterMember {

    private ClusterMember() {
    }

    public static void main(String[] args) throws Exception {
        CamelClusterService service;
        if (args[0].equals("postgres")) {
            Properties credentials = new Properties();
            credentials.setProperty("user", args[2]);
            credentials.setProperty("password", args[3]);
            service = new PostgresClusterService(args[1], credentials, Duration.ofMillis(Long.parseLong(args[4])));
        } else {
            service = ClusterServices.fileLock(Path.of(args[1]), Duration.ofMillis(Long.parseLong(args[2])));
        }
        try (Replicas.Replica replica = new Replicas.Replica("member-process", service)) {
            String said = null;
            while (true) {
                String now = replica.isLeader() ? "LEADER" : "FOLLOWER";
                if (!now.equals(said)) {
                    System.out.println(now);
                    System.out.flush();
                    said = now;
                }
                Thread.sleep(20);
            }
        }
    }
}
