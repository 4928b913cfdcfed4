package io.leadsync.cluster;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.leadsync.testing.CrmFakes.wireMock;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.master.MasterConsumer;
import org.apache.camel.component.master.MasterEndpoint;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.testing.CrmFakes;
import io.leadsync.testing.Fixtures;
import io.leadsync.testing.Polls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Without PostgreSQL (the default), the service leads through a file lock under its data dir, and the stage
 * polls still run by themselves: the timers, now behind master:leadsync:, poll without any POST /stages/refresh.
 */
@QuarkusTest
@QuarkusTestResource(CrmFakes.class)
@TestProfile(LocalLeaderTest.PollingTimers.class)
class LocalLeaderTest {

    public static class PollingTimers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadsync.stages.initial-delay", "1s", "leadsync.stages.poll-interval", "1s",
                    "leadsync.cluster.takeover", "2s");
        }
    }

    static final String PIPELINE = "/telecrm/autoupdate/v2/enterprise/ent-1/lead-stage-pipeline";
    static final String SUPERFONE = "/superfone/enterprise/api/lead-stage";

    @Inject
    CamelContext camel;

    @Inject
    CamelClusterService service;

    @Inject
    Leadership leadership;

    @Inject
    LeadsyncConfig config;

    @Test
    void theOnlyReplicaLeadsAndItsTimersPollTheCatalogs() throws Exception {
        wireMock().stubFor(get(urlPathEqualTo(PIPELINE))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("telecrm-lead-stage-pipeline.json"))));
        wireMock().stubFor(get(urlPathEqualTo(SUPERFONE))
                .willReturn(aResponse().withStatus(200).withBody(Fixtures.read("superfone-lead-stages.json"))));

        assertThat(service, instanceOf(FileLockClusterService.class));
        Path root = config.dataDir().resolve("cluster");
        assertThat(((FileLockClusterService) service).getRoot(), is(root.toString()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(leadership::isLeader);
        assertThat("the lock file of the namespace", Files.exists(root.resolve(Leadership.NAMESPACE)), is(true));

        // Polled by the timers alone: this test never asks for a refresh.
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(Polls.stages("telecrm").getString("sources[0].status"), is("OK"));
            assertThat(Polls.stages("superfone").getString("sources[0].status"), is("OK"));
        });
        wireMock().verify(com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(1),
                getRequestedFor(urlPathEqualTo(PIPELINE)));

        // Each stage timer is a master: consumer in the Leadership namespace, started because this replica leads.
        List<String> timers = List.of("telecrm-stages-timer", "superfone-stages-timer", "truto-stages-timer");
        for (String id : timers) {
            Route route = camel.getRoute(id);
            assertThat(id, route.getEndpoint(), instanceOf(MasterEndpoint.class));
            assertThat(id, ((MasterEndpoint) route.getEndpoint()).getNamespace(), is(Leadership.NAMESPACE));
            assertThat(id, ((MasterEndpoint) route.getEndpoint()).getEndpoint().getEndpointUri(),
                    containsString("timer://" + id.replace("-timer", "")));
            assertThat(id, route.getConsumer(), instanceOf(MasterConsumer.class));
            assertThat(id, ((MasterConsumer) route.getConsumer()).isMaster(), is(true));
        }
        assertThat("every master: route of the route files uses the one namespace", camel.getRoutes().stream()
                .filter(r -> r.getEndpoint() instanceof MasterEndpoint m && !m.getNamespace().equals(Leadership.NAMESPACE))
                .map(Route::getRouteId).toList(), is(empty()));

        // Camel's master consumer ends its start-up retry task with a WARN about 6 s after leadership; the
        // timers go on polling past it.
        Thread.sleep(7000);
        int before = wireMock().findAll(getRequestedFor(urlPathEqualTo(PIPELINE))).size();
        Thread.sleep(2500);
        assertThat("polls go on every second", wireMock().findAll(getRequestedFor(urlPathEqualTo(PIPELINE))).size() - before,
                org.hamcrest.Matchers.greaterThanOrEqualTo(2));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics, containsString("leadsync_cluster_leader 1.0"));
        assertThat(metrics, not(containsString("leadsync_cluster_leader 0.0")));
    }
}
