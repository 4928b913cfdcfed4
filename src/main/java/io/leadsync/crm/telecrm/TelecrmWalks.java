package io.leadsync.crm.telecrm;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.sync.WalkedSource;
import org.apache.camel.util.TimeUtils;

/**
 * TeleCRM sends no webhooks: its stage changes are found by walking its leads ({@link TelecrmChanges}) on the schedule
 * of {@code leadsync.sync.telecrm.*}, keys of the sync flows. What the flows need to know of those walks, told them
 * through {@link WalkedSource}: telecrm uses sync, and sync never needs telecrm.
 */
@ApplicationScoped
public class TelecrmWalks implements WalkedSource {

    /** The source of the changes a walk finds. */
    public static final String SOURCE = "telecrm";

    @Inject
    TelecrmConfig config;

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public Duration fullInterval() {
        return fullInterval(config);
    }

    /** How long after leadsync writes a stage to TeleCRM a walk may see it (the longest gap between full walks). */
    static Duration fullInterval(TelecrmConfig config) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(config.sync().telecrm().fullInterval().strip()));
    }
}
