package io.leadsync.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;

/**
 * The times that were numbers of milliseconds are durations ({@link DurationKeys}), read through SmallRye as the
 * service reads them (ConfigCheckTest's config: the shipped application.properties under a few keys): the duration
 * key works, the old {@code -ms} key still works wherever it is set and gets its start-up line, both set: the duration
 * key wins; routes' {@code {{…-ms}}} placeholders get milliseconds either way.
 */
class DurationKeysTest {

    @Test
    void theDurationKeyTakesADuration() throws IOException {
        SmallRyeConfig config = ConfigCheckTest.builder(Map.of("leadsync.delivery.retry.delay", "30s",
                "leadsync.http.answer-timeout", "PT2M", "leadsync.truto.rate-period", "5", "leadsync.sync.interval", "250ms"),
                "prod").build();
        LeadsyncConfig leadsync = config.getConfigMapping(LeadsyncConfig.class);
        assertThat(leadsync.delivery().retry().delay(), is(Duration.ofSeconds(30)));
        assertThat(leadsync.http().answerTimeout(), is(Duration.ofMinutes(2)));
        assertThat("a bare number is seconds", config.getConfigMapping(io.leadsync.crm.truto.TrutoConfig.class).truto()
                .ratePeriod(), is(Duration.ofSeconds(5)));
        assertThat(leadsync.sync().interval(), is(Duration.ofMillis(250)));
        assertThat(ConfigCheck.deprecations(Mappings.of(config)), empty());
        assertThat(ConfigCheck.problems(Mappings.of(config), Map.of()), empty());
        // Route files' placeholders: milliseconds, as redeliveryDelay and timePeriodMillis want them.
        assertThat(ConfigPropertiesSource.property(config, "leadsync.delivery.retry.delay-ms"), is("30000"));
        assertThat(ConfigPropertiesSource.property(config, "leadsync.truto.rate-period-ms"), is("5000"));
        assertThat(ConfigPropertiesSource.property(config, "leadsync.sync.interval-ms"), is("250"));
    }

    @Test
    void theOldKeyStillWorksAndSaysWhichKeyToUse() throws IOException {
        SmallRyeConfig config = ConfigCheckTest.builder(Map.of("leadsync.delivery.retry.delay-ms", "500",
                "leadsync.delivery.retry-after-cap-ms", "120000"), "prod").build();
        LeadsyncConfig leadsync = config.getConfigMapping(LeadsyncConfig.class);
        assertThat(leadsync.delivery().retry().delay(), is(Duration.ofMillis(500)));
        assertThat(leadsync.delivery().retryAfterCap(), is(Duration.ofMinutes(2)));
        assertThat(ConfigCheck.deprecations(Mappings.of(config)), contains(
                "leadsync.delivery.retry.delay-ms is deprecated: use leadsync.delivery.retry.delay=500ms",
                "leadsync.delivery.retry-after-cap-ms is deprecated: use leadsync.delivery.retry-after-cap=2m"));
        assertThat(ConfigCheck.problems(Mappings.of(config), Map.of()), empty());
        assertThat(ConfigPropertiesSource.property(config, "leadsync.delivery.retry.delay-ms"), is("500"));
    }

    @Test
    void bothSetTheDurationKeyWins() throws IOException {
        SmallRyeConfig config = ConfigCheckTest.builder(Map.of("leadsync.delivery.retry.delay-ms", "500",
                "leadsync.delivery.retry.delay", "2s"), "prod").build();
        LeadsyncConfig leadsync = config.getConfigMapping(LeadsyncConfig.class);
        assertThat(leadsync.delivery().retry().delay(), is(Duration.ofSeconds(2)));
        assertThat(ConfigCheck.deprecations(Mappings.of(config)), contains("leadsync.delivery.retry.delay-ms=500 is deprecated and"
                + " ignored: leadsync.delivery.retry.delay=2s is set too, and wins"));
        assertThat(ConfigPropertiesSource.property(config, "leadsync.delivery.retry.delay-ms"), is("2000"));
    }

    @Test
    void theDurationKeyWinsFromASourceBelowTheOldKeys() throws IOException {
        // The rule is "set wins over -ms", not "the higher source wins": an old LEADSYNC_…_MS left in a deployment
        // does not override the duration a newer config/application.properties sets.
        SmallRyeConfig config = ConfigCheckTest.builder(Map.of(), "prod")
                .withSources(new PropertiesConfigSource(Map.of("leadsync.http.connect-timeout", "3s"), "config file", 260))
                .withSources(new EnvConfigSource(Map.of("LEADSYNC_HTTP_CONNECT_TIMEOUT_MS", "9000"), 300)).build();
        assertThat(config.getConfigMapping(LeadsyncConfig.class).http().connectTimeout(), is(Duration.ofSeconds(3)));
    }

    @Test
    void theOldKeyIsReadFromTheEnvironmentAndFromAProfileAndIsNoUnknownKey() throws IOException {
        Map<String, String> env = Map.of("LEADSYNC_INTAKE_MIN_AGE_MS", "250", "LEADSYNC_HTTP_RESPONSE_TIMEOUT_MS", "4000");
        SmallRyeConfig config = ConfigCheckTest.builder(Map.of("%demo.leadsync.etl.retry.delay-ms", "40",
                        "leadsync.etl.retry.delay-ms", "70"), "demo")
                .withSources(new EnvConfigSource(env, 300)).build();
        LeadsyncConfig leadsync = config.getConfigMapping(LeadsyncConfig.class);
        assertThat(leadsync.intake().minAge(), is(Duration.ofMillis(250)));
        assertThat(leadsync.http().responseTimeout(), is(Duration.ofSeconds(4)));
        assertThat("the profile's", leadsync.etl().retry().delay(), is(Duration.ofMillis(40)));
        // Neither a misspelt environment variable nor an unknown key (SmallRye's SRCFG00050 would have thrown above).
        assertThat(ConfigCheck.problems(Mappings.of(config), env), empty());
        assertThat(ConfigCheck.deprecations(Mappings.of(config)), contains(
                "leadsync.etl.retry.delay-ms is deprecated: use leadsync.etl.retry.delay=40ms",
                "leadsync.http.response-timeout-ms is deprecated: use leadsync.http.response-timeout=4s",
                "leadsync.intake.min-age-ms is deprecated: use leadsync.intake.min-age=250ms"));
    }

    @Test
    void aBadValueNamesTheKeyItWasGivenAs() {
        ConfigValidationException notANumber = assertThrows(ConfigValidationException.class,
                () -> ConfigCheckTest.config(Map.of("leadsync.delivery.catalog-wait-ms", "5s"), "prod"));
        assertThat(notANumber.getMessage(), containsString("leadsync.delivery.catalog-wait-ms"));
        ConfigValidationException notADuration = assertThrows(ConfigValidationException.class,
                () -> ConfigCheckTest.config(Map.of("leadsync.delivery.catalog-wait", "five seconds"), "prod"));
        assertThat(notADuration.getMessage(), containsString("leadsync.delivery.catalog-wait with the config value"));
    }

    @Test
    void aDurationKeyOutOfRangeIsOneProblemNamingIt() throws IOException {
        assertThat(ConfigCheck.problems(ConfigCheckTest.config(Map.of("leadsync.http.connect-timeout", "0s"), "prod"), Map.of()),
                contains("leadsync.http.connect-timeout=0s (LEADSYNC_HTTP_CONNECT_TIMEOUT): must be at least 1ms; give a"
                        + " duration such as 500ms, 30s or 5m"));
        assertThat(ConfigCheck.problems(ConfigCheckTest.config(Map.of("leadsync.delivery.retry.delay", "-10ms"), "prod"),
                Map.of()), contains("leadsync.delivery.retry.delay=-10ms (LEADSYNC_DELIVERY_RETRY_DELAY): must not be negative;"
                        + " give a duration such as 500ms, 30s or 5m"));
    }

    @Test
    void theDefaultsAreTheOldMilliseconds() throws IOException {
        // What application.properties gave the -ms keys before they were durations: the routes see the same numbers.
        Map<String, String> before = new LinkedHashMap<>();
        before.put("leadsync.stages.retry.delay-ms", "500");
        before.put("leadsync.etl.retry.delay-ms", "500");
        before.put("leadsync.http.connect-timeout-ms", "5000");
        before.put("leadsync.http.response-timeout-ms", "15000");
        before.put("leadsync.http.answer-timeout-ms", "60000");
        before.put("leadsync.delivery.retry.delay-ms", "1000");
        before.put("leadsync.delivery.retry.max-delay-ms", "60000");
        before.put("leadsync.delivery.retry-after-cap-ms", "60000");
        before.put("leadsync.delivery.claim-interval-ms", "1000");
        before.put("leadsync.delivery.catalog-wait-ms", "5000");
        before.put("leadsync.intake.min-age-ms", "1000");
        before.put("leadsync.truto.rate-period-ms", "10000");
        before.put("leadsync.sync.interval-ms", "1000");
        SmallRyeConfig config = ConfigCheckTest.builder(Map.of(), "prod").build();
        Map<String, String> now = new LinkedHashMap<>();
        before.keySet().forEach(key -> now.put(key, ConfigPropertiesSource.property(config, key)));
        assertThat(now, is(before));
        assertThat(before.keySet().stream().map(DurationKeys::durationKey).collect(Collectors.toSet()), is(DurationKeys.KEYS));
        assertThat(ConfigCheck.deprecations(Mappings.of(config)), empty());
        // An -ms placeholder that names no duration key is an ordinary key (unset here).
        assertThat(ConfigPropertiesSource.property(config, "leadsync.no-such-delay-ms"), is((String) null));
    }

    @Test
    void everyDurationKeyIsInTheMappingWithItsOldKeyAndIsChecked() throws IOException {
        Map<String, ConfigMappingInterface.Property> mapped = new java.util.HashMap<>();
        ConfigCheck.mappings().forEach((mapping, prefix) ->
                mapped.putAll(ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping, prefix))));
        Set<String> oldKeys = new TreeSet<>();
        mapped.forEach((key, property) -> {
            if (key.endsWith(DurationKeys.MS)) {
                oldKeys.add(key);
                assertThat(key + " is an OptionalLong, as set", property.getMethod().getReturnType(), is(OptionalLong.class));
                assertThat(key + " has no default", property.hasDefaultValue(), is(false));
            }
        });
        for (String key : DurationKeys.KEYS) {
            assertThat(key, mapped.get(key).getMethod().getReturnType(), is(Duration.class));
            assertThat(key + " has its default", mapped.get(key).hasDefaultValue(), is(true));
        }
        Set<String> renamed = DurationKeys.KEYS.stream().map(DurationKeys::oldKey).collect(Collectors.toCollection(TreeSet::new));
        assertThat(oldKeys, is(renamed));
        List<String> checked = ConfigCheck.times(ConfigCheckTest.config(Map.of(), "prod")).stream().map(ConfigCheck.Timed::key).toList();
        assertThat(new TreeSet<>(checked), is(new TreeSet<>(DurationKeys.KEYS)));
    }

    @Test
    void camelPlaceholdersReadTheQuarkusConfigOnly() throws IOException {
        // Camel's default looks up LEADSYNC_…_MS and -Dleadsync.….-ms itself, before any source: an old key left in
        // the environment would beat the duration key set beside it in the routes only. (Tried on the jar: with these,
        // LEADSYNC_HTTP_CONNECT_TIMEOUT=3s beside LEADSYNC_HTTP_CONNECT_TIMEOUT_MS=9000 gives the routes 3000.)
        java.util.Properties shipped = DefaultsInOnePlaceTest.shipped();
        assertThat(shipped.getProperty("camel.component.properties.environment-variable-mode"), is("0"));
        assertThat(shipped.getProperty("camel.component.properties.system-properties-mode"), is("0"));
    }

    @Test
    void aDurationIsWrittenAsOneWouldWriteIt() {
        assertThat(DurationKeys.text(Duration.ofMillis(500)), is("500ms"));
        assertThat(DurationKeys.text(Duration.ofMillis(1500)), is("1500ms"));
        assertThat(DurationKeys.text(Duration.ofSeconds(30)), is("30s"));
        assertThat(DurationKeys.text(Duration.ofSeconds(90)), is("90s"));
        assertThat(DurationKeys.text(Duration.ofMinutes(5)), is("5m"));
        assertThat(DurationKeys.text(Duration.ofDays(7)), is("7d"));
        assertThat(DurationKeys.text(Duration.ZERO), is("0s"));
        assertThat(DurationKeys.text(Duration.ofMillis(-10)), is("-10ms"));
        assertThat(DurationKeys.text(Duration.ofNanos(1500)), is("PT0.0000015S"));
    }
}
