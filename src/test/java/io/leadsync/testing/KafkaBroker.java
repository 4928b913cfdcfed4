package io.leadsync.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker for the tests: Apache Kafka's own KRaft test kit, one combined broker and
 * controller in this JVM, from Maven artifacts (no Docker). Points leadsync's change events at topic
 * {@link #TOPIC}. Ordered after {@link CrmFakes} so its changes-uri wins over the fakes' direct: sink.
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

    public static final String TOPIC = "leadsync-stage-changes";

    static KafkaClusterTestKit cluster;

    public static String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Shuts the broker down: what a Kafka outage looks like to leadsync. */
    public static void stopBroker() throws Exception {
        cluster.close();
        cluster = null;
    }

    @Override
    public Map<String, String> start() {
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    // One broker: internal topics must not ask for three replicas.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("num.partitions", "3")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-process Kafka broker", e);
        }
        return Map.of("leadsync.stages.changes-uri", "kafka:" + TOPIC + "?brokers=" + cluster.bootstrapServers(),
                // Short time-outs, so the outage test waits seconds, not the defaults.
                "camel.component.kafka.max-block-ms", "2000",
                "camel.component.kafka.request-timeout-ms", "1000",
                "camel.component.kafka.delivery-timeout-ms", "2000");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public int order() {
        return 100;
    }
}
