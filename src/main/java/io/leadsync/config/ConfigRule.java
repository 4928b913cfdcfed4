package io.leadsync.config;

import java.util.Map;

/**
 * A feature's own check of its {@code leadsync.*} keys, run by {@link ConfigCheck} with its own checks, before anything
 * starts. The config package is the ground floor and knows no feature: a feature whose keys need more than their types
 * (a stage-map pair naming a CRM, a flow between enabled CRMs) implements this and lists the class in
 * {@code META-INF/services/io.leadsync.config.ConfigRule}. Found with {@link java.util.ServiceLoader}, not CDI: the
 * configuration is checked while SmallRye reads it, before any bean exists. An implementation is a public class with a
 * public no-argument constructor, registered for reflection (the native image loads it by name).
 */
public interface ConfigRule {

    /** Adds one problem to {@code problems} per bad value of the feature's keys. */
    void check(LeadsyncConfig config, ConfigProblems problems);

    /**
     * The feature's own mappings of {@code leadsync.*} keys ({@code @ConfigMapping} interface and its prefix), so that
     * the environment variables setting them are not taken for misspelt ones.
     */
    default Map<Class<?>, String> mappings() {
        return Map.of();
    }
}
