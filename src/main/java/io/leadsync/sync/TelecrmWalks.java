package io.leadsync.sync;

import java.time.Duration;

import io.leadsync.config.LeadsyncConfig;
import org.apache.camel.util.TimeUtils;

/**
 * TeleCRM sends no webhooks: its stage changes are found by walking its leads (io.leadsync.crm.telecrm.TelecrmChanges) on
 * the schedule of {@code leadsync.sync.telecrm.*}, keys of the sync flows. What the flows need to know of those walks,
 * read here for the walker too: telecrm uses sync, and sync never needs telecrm.
 */
public final class TelecrmWalks {

    /** The source of the changes a walk finds. */
    public static final String SOURCE = "telecrm";

    private TelecrmWalks() {
    }

    /** How long after leadsync writes a stage to TeleCRM a walk may see it (the longest gap between full walks). */
    public static Duration fullInterval(LeadsyncConfig config) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(config.sync().telecrm().fullInterval().strip()));
    }
}
