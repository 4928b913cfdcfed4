package io.leadsync.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feature's own {@code leadsync.*} keys, as the ground floor must know them: their check, run by {@link ConfigCheck}
 * with its own checks before anything starts, their mappings, their durations and their secrets. The config package
 * knows no feature: a feature whose keys need more than their types (a stage-map pair naming a CRM, a flow between
 * enabled CRMs) or that has keys of its own implements this and lists the class in
 * {@code META-INF/services/io.leadsync.config.ConfigRule}. Found with {@link java.util.ServiceLoader}, not CDI: the
 * configuration is checked while SmallRye reads it, before any bean exists. An implementation is a public class with a
 * public no-argument constructor, registered for reflection (the native image loads it by name).
 */
public interface ConfigRule {

    /** Adds one problem to {@code problems} per bad value of the feature's keys. */
    void check(Mappings config, ConfigProblems problems);

    /**
     * The feature's own mappings of {@code leadsync.*} keys ({@code @ConfigMapping} interface and its prefix): checked
     * with {@link LeadsyncConfig}, and the environment variables setting them are not taken for misspelt ones.
     */
    default Map<Class<?>, String> mappings() {
        return Map.of();
    }

    /** The feature's times that were a number of milliseconds ({@link DurationKeys}). */
    default List<DurationKey> durationKeys() {
        return List.of();
    }

    /** The feature's secrets as configured, masked wherever leadsync words a text from outside ({@link Secrets}). */
    default List<Optional<String>> secrets(Mappings config) {
        return List.of();
    }
}
