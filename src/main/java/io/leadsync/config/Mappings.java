package io.leadsync.config;

import io.smallrye.config.SmallRyeConfig;

/**
 * The {@code leadsync.*} mappings of one configuration, by interface: {@link LeadsyncConfig} and each feature's own
 * ({@link ConfigRule#mappings()}; every CRM's keys are a mapping of its package). What {@link ConfigCheck} and the
 * {@link ConfigRule}s check while SmallRye reads the configuration, and what a bean reads a feature's keys through when
 * it knows the feature only as an interface (a CRM, as io.leadsync.crm.Crm).
 */
public interface Mappings {

    /** The mapping of that interface. */
    <T> T get(Class<T> mapping);

    /** The mappings of a configuration SmallRye has read. */
    static Mappings of(SmallRyeConfig config) {
        return config::getConfigMapping;
    }
}
