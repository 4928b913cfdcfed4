package io.leadsync.sandbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The {@code leadsync.sandbox.*} keys every fake shares: run-time config, so the prod-built jar serves the fakes when
 * started with {@code QUARKUS_PROFILE=demo}. A mapping of its own, so that these keys belong to a root. A fake's own
 * keys ({@code leadsync.sandbox.<crm>-*}) are in its CRM's mapping, in its package.
 */
@ConfigMapping(prefix = "leadsync.sandbox")
public interface SandboxConfig {

    /** The fakes answer only when true; otherwise every sandbox path is 404. */
    @WithDefault("false")
    boolean enabled();

    /** Leads each fake holds at most (in memory); one more is refused with that CRM's own 400. */
    @WithDefault("10000")
    int maxLeads();
}
