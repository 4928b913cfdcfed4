package io.leadsync.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import io.leadsync.badinput.Tally;

/**
 * Family "start-up configuration": the packaged service started with one bad setting each, as an operator sets it
 * (an environment variable, or config/application.properties). Each start must end by itself with exit code 1 and
 * one line naming the key and what is wrong — no stack trace, no value of a secret — before anything started: no
 * route, no store. (ConfigCheckTest covers many more values without starting the jar.)
 */
@ExtendWith({ ServiceLogs.class, Tally.class })
class BadConfigIT {

    static final String FAMILY = "start-up configuration";
    static final String SECRET = "typo-secret-4b1d";

    /** One bad setting: environment variables to start with, a config/application.properties text, and the line expected. */
    record Case(String input, Map<String, String> env, String propertiesFile, String line) {
        static Case env(String key, String value, String line) {
            return new Case(key + "=" + value, Map.of(key, value), null, line);
        }
    }

    static List<Case> cases() {
        String bad = "leadsync: bad configuration: ";
        return List.of(
                Case.env("LEADSYNC_STAGES_POLL_INTERVAL", "-5s", bad + "leadsync.stages.poll-interval=-5s"
                        + " (LEADSYNC_STAGES_POLL_INTERVAL): must be a positive duration"),
                Case.env("LEADSYNC_STAGES_INITIAL_DELAY", "0s", bad + "leadsync.stages.initial-delay=0s"
                        + " (LEADSYNC_STAGES_INITIAL_DELAY): must be at least 1s"),
                Case.env("LEADSYNC_TELECRM_BASE_URL", "next.telecrm.in/autoupdate/v2", bad + "leadsync.telecrm.base-url="
                        + "next.telecrm.in/autoupdate/v2 (LEADSYNC_TELECRM_BASE_URL): must start with https:// or http://"),
                Case.env("LEADSYNC_SUPERFONE_BASE_URL", "https://prod api.superfone.co.in", bad + "leadsync.superfone.base-url="
                        + "https://prod api.superfone.co.in (LEADSYNC_SUPERFONE_BASE_URL): not a URL"),
                Case.env("LEADSYNC_HTTP_RESPONSE_TIMEOUT_MS", "0", bad + "leadsync.http.response-timeout-ms=0"
                        + " (LEADSYNC_HTTP_RESPONSE_TIMEOUT_MS): must be at least 1"),
                Case.env("LEADSYNC_DELIVERY_RETRY_DELAY", "-1s", bad + "leadsync.delivery.retry.delay=-1s"
                        + " (LEADSYNC_DELIVERY_RETRY_DELAY): must not be negative"),
                Case.env("LEADSYNC_ETL_STAGES_CRON", "0 0 * * *", bad + "leadsync.etl.stages.cron=0 0 * * *"
                        + " (LEADSYNC_ETL_STAGES_CRON): not a Quartz cron"),
                Case.env("LEADSYNC_DELIVERY_STAGE_MAP", "telecrm/Qualified=hubspot/Demo", bad + "leadsync.delivery.stage-map="
                        + "telecrm/Qualified=hubspot/Demo (LEADSYNC_DELIVERY_STAGE_MAP): unknown CRM 'hubspot'"),
                Case.env("LEADSYNC_TRUTO_CATEGORIES", "Closed Won:WINNING", bad + "leadsync.truto.categories=Closed Won:WINNING"
                        + " (LEADSYNC_TRUTO_CATEGORIES): each entry must be 'stage name or id:OPEN|WON|LOST'"),
                Case.env("LEADSYNC_ETL_PAGE_SIZE", "500", bad + "leadsync.etl.page-size=500 (LEADSYNC_ETL_PAGE_SIZE): must be 1 to 100"),
                // SmallRye's own wording, already one line naming the key.
                Case.env("LEADSYNC_STAGES_MAX_PAGES", "abc", "The config property leadsync.stages.max-pages with the config"
                        + " value \"abc\" threw an Exception whilst being converted SRCFG00029: Expected an integer value"),
                Case.env("LEADSYNC_SUPERFONE_CREATE_CUSTOMERS", "flase", "The config property leadsync.superfone.create-customers"
                        + " with the config value \"flase\" threw an Exception whilst being converted must be true or false"),
                new Case("LEADSYNC_TELECRM_TOKN=<a token> (misspelt)", Map.of("LEADSYNC_TELECRM_TOKN", SECRET), null,
                        bad + "LEADSYNC_TELECRM_TOKN (environment variable): sets no leadsync key"),
                new Case("config/application.properties: leadsync.stages.pol-interval=5m", Map.of(),
                        "leadsync.stages.pol-interval=5m\n", "leadsync.stages.pol-interval in PropertiesConfigSource[source=file:"));
    }

    @TestFactory
    Stream<DynamicTest> eachBadSettingStopsTheStartWithOneLine() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.input(), () -> refusedAtStart(c)));
    }

    private static void refusedAtStart(Case c) throws Exception {
        ServiceProcess service = new ServiceProcess("bad-config");
        c.env().forEach(service::env);
        if (c.propertiesFile() != null) {
            Files.createDirectories(service.workDir().resolve("config"));
            Files.writeString(service.workDir().resolve("config").resolve("application.properties"), c.propertiesFile());
        }
        int exit;
        try {
            exit = service.runToExit(Duration.ofSeconds(90));
        } catch (IllegalStateException ranOn) {
            Tally.record(FAMILY, c.input(), Tally.Outcome.TAKEN);
            throw ranOn;
        }
        List<String> lines = service.logText().lines().toList();
        assertThat("exit code; log: " + service.log(), exit, is(1));
        assertThat(lines.stream().filter(l -> l.contains(c.line())).toList(), hasItem(containsString(c.line())));
        assertThat("one line per problem, this one only", lines.stream().filter(l -> l.contains("leadsync: bad configuration:")
                || l.contains("SRCFG")).count(), is(1L));
        // No stack trace, no secret, and nothing started: no route, no store, not even the banner.
        assertThat(lines.stream().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by")).toList(), empty());
        assertThat(service.logText(), not(containsString(SECRET)));
        assertThat(service.logText(), not(containsString("Apache Camel")));
        assertThat(Files.exists(service.workDir().resolve(Path.of("data", "store.db"))), is(false));
        Tally.record(FAMILY, c.input(), Tally.Outcome.REFUSED_AT_START);
    }
}
