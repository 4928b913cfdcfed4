package io.leadsync.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;

/**
 * Each {@code leadsync.*} default is in one place, the {@code @WithDefault} of its mapping: the shipped
 * application.properties gives no {@code leadsync.*} key a value outside a profile ({@code %demo.…}), so a default
 * cannot be written twice and drift (as {@code leadsync.stages.changes-uri} once had, the two disagreeing on its
 * query). Plain JUnit: the mappings are read as SmallRye reads them, no app starts.
 */
class DefaultsInOnePlaceTest {

    @Test
    void applicationPropertiesGivesNoLeadsyncKeyADefault() throws IOException {
        assertThat(problems(shipped(), defaults()), empty());
    }

    @Test
    void aDefaultGivenTwiceOrDifferentlyOrOutsideTheMappingsIsNamed() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader("""
                quarkus.http.port=8081
                %demo.leadsync.stages.poll-interval=30s
                leadsync.stages.poll-interval=5m
                leadsync.stages.changes-uri=log:io.leadsync.stage-changes
                leadsync.truto.categories=Won:WON
                """));
        assertThat(problems(properties, defaults()), contains(
                "leadsync.stages.changes-uri=log:io.leadsync.stage-changes is also @WithDefault(\"log:io.leadsync.stage-changes"
                        + "?showExchangePattern=false&showBodyType=false\"), and differs: keep the one in the mapping",
                "leadsync.stages.poll-interval=5m repeats its @WithDefault(\"5m\"): keep the one in the mapping",
                "leadsync.truto.categories=Won:WON is a default outside the mappings: give it as @WithDefault"));
    }

    @Test
    void theDefaultsAreTheMappings() {
        Map<String, String> defaults = defaults();
        // A few, through every kind of member: nested groups, overridden methods, expressions, the sandbox's mapping.
        assertThat(defaults, hasEntry("leadsync.delivery.retry.delay", "1s"));
        assertThat(defaults, hasEntry("leadsync.etl.truto-leads.cron", "0 30 2 * * ?"));
        assertThat(defaults, hasEntry("leadsync.etl.lead-import.cron", "0 0/15 * * * ?"));
        assertThat(defaults, hasEntry("leadsync.intake.dir", "${leadsync.data-dir}/intake"));
        assertThat(defaults, hasEntry("leadsync.sandbox.enabled", "false"));
    }

    /** The un-profiled {@code leadsync.*} lines of {@code properties}, each with what is wrong with it. */
    static List<String> problems(Properties properties, Map<String, String> defaults) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!key.startsWith("leadsync.")) {
                continue; // a profile's (%demo.…), or a Quarkus or Camel setting
            }
            String value = properties.getProperty(key);
            String mapped = defaults.get(key);
            if (mapped == null) {
                problems.add(key + "=" + value + " is a default outside the mappings: give it as @WithDefault");
            } else if (mapped.equals(value)) {
                problems.add(key + "=" + value + " repeats its @WithDefault(\"" + mapped + "\"): keep the one in the mapping");
            } else {
                problems.add(key + "=" + value + " is also @WithDefault(\"" + mapped + "\"), and differs: keep the one in the mapping");
            }
        }
        return problems;
    }

    /** Every {@code @WithDefault} of the {@code leadsync.*} mappings, by key. */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new TreeMap<>();
        ConfigCheck.mappings().forEach((mapping, prefix) -> {
            Map<String, ConfigMappingInterface.Property> properties =
                    ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping, prefix));
            properties.forEach((key, property) -> {
                if (property.hasDefaultValue()) {
                    defaults.put(key, property.getDefaultValue());
                }
            });
        });
        return defaults;
    }

    static Properties shipped() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }
}
