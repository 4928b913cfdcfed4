package io.leadsync.config;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.quarkus.arc.Unremovable;
import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Camel's {{placeholders}} read straight from the Quarkus config, ahead of Camel's own MicroProfile
 * source. That one is a LoadablePropertiesSource, and for every placeholder it resolves Camel 4.17
 * (DefaultPropertiesLookup) loads the whole config to note where the value came from: at start-up that
 * was about 250 MB of garbage for our routes' placeholders, and the heap grew with it (bench/RESULTS.md).
 * Found here first, a placeholder costs one lookup. Camel finds this source in the registry by type.
 * <p>
 * The time keys that were numbers of milliseconds are durations now ({@link DurationKeys}); their old names, such as
 * {@code {{leadsync.delivery.retry.delay-ms}}}, stay as read-only placeholders giving the duration in milliseconds,
 * where a Camel option wants a number of milliseconds (redeliveryDelay, timePeriodMillis, readLockMinAge …).
 */
@Singleton
@Unremovable
public class ConfigPropertiesSource implements PropertiesSource, Ordered {

    @Override
    public String getName() {
        return "quarkus-config";
    }

    @Override
    public String getProperty(String name) {
        return property(ConfigProvider.getConfig(), name);
    }

    /** {@code name}'s value in {@code config} as a placeholder reads it. */
    static String property(Config config, String name) {
        String duration = DurationKeys.durationKey(name);
        if (duration != null) {
            // {{leadsync.delivery.retry.delay-ms}}: the duration in force in milliseconds, whichever key set it.
            return config.getOptionalValue(duration, Duration.class).map(DurationKeys::millis).orElse(null);
        }
        return config.getOptionalValue(name, String.class).orElse(null);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }
}
