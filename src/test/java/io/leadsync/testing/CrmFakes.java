package io.leadsync.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock playing TeleCRM, Superfone and Truto for the @QuarkusTest classes, each under its own path
 * prefix, and the config that points leadsync at it. Timers are pushed out of the way: tests poll
 * through POST /stages/refresh so every request a test stubs is one it triggered.
 */
public class CrmFakes implements QuarkusTestResourceLifecycleManager {

    public static final String TELECRM_TOKEN = "test-telecrm-token-7f3a";
    public static final String SUPERFONE_KEY = "test-superfone-key-91bc";
    public static final String TRUTO_TOKEN = "test-truto-token-c0de";

    static WireMockServer server;

    public static WireMockServer wireMock() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().templatingEnabled(true)
                .globalTemplating(false));
        server.start();
        String base = "http://localhost:" + server.port();
        Path dataDir = Path.of("target", "test-data", UUID.randomUUID().toString());
        return Map.ofEntries(
                Map.entry("leadsync.telecrm.base-url", base + "/telecrm/autoupdate/v2"),
                Map.entry("leadsync.telecrm.enterprise-id", "ent-1"),
                Map.entry("leadsync.telecrm.token", TELECRM_TOKEN),
                Map.entry("leadsync.superfone.base-url", base + "/superfone"),
                Map.entry("leadsync.superfone.api-key", SUPERFONE_KEY),
                Map.entry("leadsync.truto.base-url", base + "/truto"),
                Map.entry("leadsync.truto.token", TRUTO_TOKEN),
                Map.entry("leadsync.truto.integrated-account-ids", "acc-1,acc-2"),
                Map.entry("leadsync.truto.page-size", "2"),
                Map.entry("leadsync.truto.categories", "Won:WON,Closed Lost:LOST"),
                Map.entry("leadsync.stages.poll-interval", "1h"),
                Map.entry("leadsync.stages.initial-delay", "1h"),
                Map.entry("leadsync.stages.max-pages", "20"),
                Map.entry("leadsync.stages.retry.max-redeliveries", "2"),
                Map.entry("leadsync.stages.retry.delay-ms", "10"),
                Map.entry("leadsync.stages.changes-uri", "direct:test-stage-changes"),
                Map.entry("leadsync.http.response-timeout-ms", "1000"),
                Map.entry("leadsync.http.answer-timeout-ms", "2500"),
                Map.entry("leadsync.http.max-answer-size", "1M"),
                Map.entry("leadsync.delivery.claim-interval-ms", "200"),
                Map.entry("leadsync.intake.min-age-ms", "100"),
                Map.entry("leadsync.truto.rate-limit", "4"),
                Map.entry("leadsync.etl.page-size", "2"),
                // Not the stage polls' 2: EtlJobsTest tells which key an ETL page's retries follow.
                Map.entry("leadsync.etl.retry.max-redeliveries", "1"),
                Map.entry("leadsync.etl.retry.delay-ms", "10"),
                Map.entry("leadsync.etl.telecrm-leads.cron", "off"),
                Map.entry("leadsync.etl.stages.cron", "off"),
                Map.entry("leadsync.truto.rate-period-ms", "1000"),
                Map.entry("leadsync.delivery.retry.max-redeliveries", "2"),
                Map.entry("leadsync.delivery.retry.delay-ms", "10"),
                // Also how long a source whose lead reads failed waits: one test's failing read never holds up the next.
                Map.entry("leadsync.delivery.retry.max-delay-ms", "1000"),
                Map.entry("leadsync.delivery.retry-after-cap-ms", "3000"),
                Map.entry("leadsync.delivery.catalog-wait-ms", "100"),
                Map.entry("leadsync.delivery.stage-map", "telecrm/Contacted=superfone/Qualified"),
                Map.entry("leadsync.data-dir", dataDir.toString()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
