package io.leadsync.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@link ConfigCheck} on the shipped application.properties with one value changed, through SmallRye as Quarkus
 * reads it (no app start): each bad value is one problem naming its key, its environment variable and what is
 * allowed; the shipped defaults and the demo profile have none. BadConfigIT starts the jar with a few of these.
 */
class ConfigCheckTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("leadsync.stages.poll-interval", "-5s", "must be a positive duration"),
                Arguments.of("leadsync.stages.poll-interval", "0", "must be a positive duration"),
                Arguments.of("leadsync.stages.poll-interval", "five minutes", "not a duration"),
                Arguments.of("leadsync.stages.initial-delay", "0s", "must be at least 1s"),
                Arguments.of("leadsync.stages.initial-delay", "500", "must be at least 1s"),
                Arguments.of("leadsync.telecrm.base-url", "next.telecrm.in/autoupdate/v2", "must start with https:// or http://"),
                Arguments.of("leadsync.superfone.base-url", "https://prod api.superfone.co.in", "not a URL"),
                Arguments.of("leadsync.truto.base-url", "https://api_truto/one", "has no valid host name"),
                Arguments.of("leadsync.truto.base-url", "ftp://api.truto.one", "must start with https:// or http://"),
                Arguments.of("leadsync.truto.base-url", "https://api.truto.one?x=1", "must not have a query"),
                Arguments.of("leadsync.http.connect-timeout-ms", "0", "must be at least 1"),
                Arguments.of("leadsync.http.response-timeout-ms", "-1", "must be at least 1"),
                Arguments.of("leadsync.delivery.retry.delay-ms", "-10", "must not be negative"),
                Arguments.of("leadsync.delivery.keep-done", "-1s", "must be a positive duration"),
                Arguments.of("leadsync.delivery.window", "0", "must be at least 1"),
                Arguments.of("leadsync.cluster.takeover", "0s", "must be a positive duration"),
                Arguments.of("leadsync.etl.page-size", "500", "must be 1 to 100"),
                Arguments.of("leadsync.etl.retry.max-redeliveries", "-1", "must not be negative"),
                Arguments.of("leadsync.etl.retry.delay-ms", "-500", "must not be negative"),
                Arguments.of("leadsync.superfone.page-size", "0", "must be at least 1"),
                Arguments.of("leadsync.stages.max-pages", "-1", "must be at least 1"),
                Arguments.of("leadsync.truto.concurrency", "0", "must be at least 1"),
                Arguments.of("leadsync.etl.stages.cron", "0 0 * * *", "not a Quartz cron"),
                Arguments.of("leadsync.etl.telecrm-leads.cron", "61 0 2 * * ?", "not a Quartz cron"),
                Arguments.of("leadsync.etl.lead-import.cron", "never", "not a Quartz cron"),
                Arguments.of("leadsync.delivery.stage-map", "hubspot/Qualified=superfone/Demo", "unknown CRM 'hubspot'"),
                Arguments.of("leadsync.delivery.stage-map", "telecrm/Qualified", "must be source/stage=target/stage"),
                Arguments.of("leadsync.delivery.stage-map", "telecrm/Qualified=truto/Won", "'truto' is not a source"),
                Arguments.of("leadsync.delivery.stage-map", "telecrm/Qualified=superfone/", "names no stage"),
                Arguments.of("leadsync.truto.categories", "Closed Won:WINNING", "'stage name or id:OPEN|WON|LOST'"),
                Arguments.of("leadsync.truto.categories", "Closed Won", "'stage name or id:OPEN|WON|LOST'"),
                Arguments.of("leadsync.http.answer-timeout-ms", "0", "must be at least 1"),
                Arguments.of("leadsync.webhooks.max-age", "-300s", "must be a positive duration"),
                Arguments.of("leadsync.sync.telecrm.interval", "0", "must be a positive duration"),
                Arguments.of("leadsync.sync.telecrm.full-interval", "hourly", "not a duration"),
                Arguments.of("leadsync.sync.flows", "telecrm>superfone", "TeleCRM is not enabled"),
                Arguments.of("leadsync.sync.flows", "hubspot>telecrm", "unknown source 'hubspot'"),
                Arguments.of("leadsync.sync.flows", "superfone>telecrm", "needs leadsync.superfone.webhook-secret"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void aBadValueIsOneProblemNamingItsKey(String key, String value, String problem) throws IOException {
        List<String> problems = ConfigCheck.problems(config(Map.of(key, value), "prod"), Map.of());
        assertThat(problems, hasSize(1));
        assertThat(problems.get(0), containsString(key + "=" + value + " (" + ConfigCheck.env(key) + "): "));
        assertThat(problems.get(0), containsString(problem));
    }

    @Test
    void theShippedDefaultsAndTheDemoProfileAreGood() throws IOException {
        assertThat(ConfigCheck.problems(config(Map.of(), "prod"), Map.of()), empty());
        assertThat(ConfigCheck.problems(config(Map.of(), "demo"), Map.of()), empty());
        assertThat(ConfigCheck.problems(config(Map.of("leadsync.etl.stages.cron", "off", "leadsync.etl.truto-leads.cron", "OFF",
                "leadsync.stages.poll-interval", "1h30m", "leadsync.delivery.stage-map",
                "telecrm/Qualified=superfone/Demo Scheduled,truto:acc-1/Won=telecrm/Won",
                "leadsync.truto.categories", "Closed Won:won,Lost:LOST"), "prod"), Map.of()), empty());
    }

    @Test
    void aSwitchIsTrueOrFalseNotAnythingElse() throws IOException {
        // The standard converter reads "flase" as false: customer creation silently off.
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> config(Map.of("leadsync.superfone.create-customers", "flase"), "prod"));
        assertThat(refused.getMessage(), containsString(
                "leadsync.superfone.create-customers with the config value \"flase\" threw an Exception whilst being converted"
                        + " must be true or false"));
        assertThat(config(Map.of("leadsync.superfone.create-customers", "FALSE"), "prod")
                .get(io.leadsync.crm.superfone.SuperfoneConfig.class).superfone().createCustomers(), org.hamcrest.Matchers.is(false));
    }

    @Test
    void aMisspeltEnvironmentVariableIsNamedButNotItsValue() throws IOException {
        List<String> problems = ConfigCheck.problems(config(Map.of(), "prod"), Map.of(
                "LEADSYNC_TELECRM_TOKN", "secret-token-value", "LEADSYNC_TELECRM_TOKEN", "good",
                "LEADSYNC_SANDBOX_ENABLED", "true", "LEADSYNC_STAGES_POLL_INTERVAL", "5m", "PATH", "/bin"));
        assertThat(problems, contains(containsString("LEADSYNC_TELECRM_TOKN (environment variable): sets no leadsync key")));
        assertThat(problems.get(0), not(containsString("secret-token-value")));
    }

    @Test
    void aUrlIsShownWithoutItsPassword() throws IOException {
        List<String> problems = ConfigCheck.problems(config(Map.of("leadsync.telecrm.base-url", "ftp://ops:hunter2@telecrm.in"),
                "prod"), Map.of());
        assertThat(problems, contains(containsString("ftp://****@telecrm.in")));
        assertThat(problems.get(0), not(containsString("hunter2")));
    }

    @Test
    void smallRyeReportsTheProblemsWhenTheConfigIsRead() {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class, () -> builder(
                Map.of("leadsync.stages.initial-delay", "0s", "leadsync.http.connect-timeout-ms", "0"), "prod")
                .withCustomizers(new ConfigCheck.Installer()).build());
        List<String> problems = java.util.stream.IntStream.range(0, refused.getProblemCount())
                .mapToObj(i -> refused.getProblem(i).getMessage()).toList();
        assertThat(problems, org.hamcrest.Matchers.containsInAnyOrder(
                org.hamcrest.Matchers.startsWith("leadsync: bad configuration: leadsync.http.connect-timeout-ms=0"
                        + " (LEADSYNC_HTTP_CONNECT_TIMEOUT_MS): must be at least 1"),
                org.hamcrest.Matchers.startsWith("leadsync: bad configuration: leadsync.stages.initial-delay=0s"
                        + " (LEADSYNC_STAGES_INITIAL_DELAY): must be at least 1s")));
    }

    @Test
    void theBadInputTallysSystemPropertiesAreNoLeadsyncKeys() {
        // Quarkus reads system properties into the config, and an unknown leadsync.* key stops it (SRCFG00050): the
        // tally's flag once named leadsync.tally.emptied, set by the first run, stopped every later app start.
        ConfigValidationException unknown = assertThrows(ConfigValidationException.class,
                () -> builder(Map.of("leadsync.tally.emptied", "test"), "prod").build());
        assertThat(unknown.getMessage(), containsString("SRCFG00050"));
        builder(Map.of(io.leadsync.badinput.Tally.PHASE_PROPERTY, "process", io.leadsync.badinput.Tally.EMPTIED_PROPERTY,
                "test"), "prod").build();
    }

    /** The mappings of the shipped application.properties under {@code overrides}, in {@code profile}. */
    static Mappings config(Map<String, String> overrides, String profile) throws IOException {
        return Mappings.of(builder(overrides, profile).build());
    }

    static SmallRyeConfigBuilder builder(Map<String, String> overrides, String profile) {
        try {
            // Quarkus's converters for durations such as 15s and 7d and sizes such as 16M, as in the service.
            SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile(profile)
                    .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                    .withConverter(io.quarkus.runtime.configuration.MemorySize.class, 200,
                            new io.quarkus.runtime.configuration.MemorySizeConverter())
                    .withSources(new PropertiesConfigSource(Path.of("application.properties").toUri().toURL(), 250))
                    .withSources(new PropertiesConfigSource(overrides, "test overrides", 400))
                    // leadsync.<crm>.enabled from the credentials, as in the service
                    .withSources(new io.leadsync.crm.SourceSwitches())
                    .withInterceptors(new DurationKeys()); // the deprecated -ms keys read, as in the service
            ConfigCheck.mappings().forEach(builder::withMapping); // every leadsync mapping, as Quarkus registers them
            return builder;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
