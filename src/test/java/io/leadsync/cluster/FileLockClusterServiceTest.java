package io.leadsync.cluster;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.leadsync.cluster.Replicas.MemberProcess;
import io.leadsync.cluster.Replicas.Replica;
import io.leadsync.cluster.Replicas.Sampler;

/**
 * The local variant (no PostgreSQL): Camel's file-lock cluster service as ClusterServices sets it up, with a
 * short takeover time. One leader among replicas sharing a data dir; a stopped or killed leader is replaced
 * within the takeover time; never two leaders at a sample.
 */
class FileLockClusterServiceTest {

    static final Duration TAKEOVER = Duration.ofSeconds(2);

    @TempDir
    Path dataDir;

    Replica replica(String name) throws Exception {
        return new Replica(name, ClusterServices.fileLock(dataDir.resolve("cluster"), TAKEOVER));
    }

    @Test
    void whenTheLeaderStopsTheOtherTakesOver() throws Exception {
        try (Replica a = replica("local-a"); Replica b = replica("local-b")) {
            Sampler sampler = new Sampler(a, b);
            await().atMost(TAKEOVER.plusSeconds(1)).until(() -> a.isLeader() ^ b.isLeader());
            Replica leader = a.isLeader() ? a : b;
            Replica follower = leader == a ? b : a;
            Thread.sleep(TAKEOVER.toMillis());
            assertTrue(leader.isLeader() && !follower.isLeader(), "one leader, and it stays");
            assertTrue(Files.exists(dataDir.resolve("cluster").resolve(Leadership.NAMESPACE)), "the lock file");

            long stopped = System.nanoTime();
            leader.stop();
            assertFalse(leader.isLeader(), "a stopped replica is no leader");
            await().atMost(TAKEOVER).until(follower::isLeader);
            assertThat(Replicas.since(stopped), lessThanOrEqualTo(TAKEOVER));
            sampler.assertNeverTwoLeaders();
        }
    }

    @Test
    void whenTheLeadersJvmIsKilledTheOtherTakesOver() throws Exception {
        try (MemberProcess member = new MemberProcess("file", dataDir.resolve("cluster").toString(),
                String.valueOf(TAKEOVER.toMillis()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> "LEADER".equals(member.state()));
            try (Replica other = replica("local-c")) {
                // While the member process lives and leads, this replica never does.
                for (int i = 0; i < 2 * TAKEOVER.toMillis() / 50; i++) {
                    assertFalse(other.isLeader(), "two leaders: " + member);
                    Thread.sleep(50);
                }
                assertEquals("LEADER", member.state());

                long killed = System.nanoTime();
                member.kill(); // its heartbeat stops and its OS lock goes with the process
                await().atMost(TAKEOVER).until(other::isLeader);
                assertThat(Replicas.since(killed), lessThanOrEqualTo(TAKEOVER));
            }
        }
    }
}
