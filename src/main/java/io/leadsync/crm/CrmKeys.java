package io.leadsync.crm;

import io.leadsync.config.StrictBoolean;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The {@code leadsync.<crm>.*} keys every CRM has: its mapping's {@code leadsync.<crm>} group extends this, and gives
 * its own base-url default. Checked for every CRM by {@link CrmConfigCheck}.
 */
public interface CrmKeys {

    /** Derived from its credentials by {@link SourceSwitches}; false switches a configured CRM off. */
    @WithDefault("false")
    @WithConverter(StrictBoolean.class)
    boolean enabled();

    /** Its stage catalog is polled on a timer: enabled and not run-once (derived by {@link SourceSwitches}). */
    @WithDefault("false")
    @WithConverter(StrictBoolean.class)
    boolean polling();

    /** Where its API is: route files append its paths. */
    String baseUrl();

    /** Deliveries to it in parallel (all its accounts together). */
    @WithDefault("4")
    int concurrency();
}
