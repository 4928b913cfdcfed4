package io.leadsync.config;

import jakarta.inject.Singleton;

import io.quarkus.arc.Unremovable;
import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Camel's {{placeholders}} read straight from the Quarkus config, ahead of Camel's own MicroProfile
 * source. That one is a LoadablePropertiesSource, and for every placeholder it resolves Camel 4.17
 * (DefaultPropertiesLookup) loads the whole config to note where the value came from: at start-up that
 * was about 250 MB of garbage for our routes' placeholders, and the heap grew with it (bench/RESULTS.md).
 * Found here first, a placeholder costs one lookup. Camel finds this source in the registry by type.
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
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse(null);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }
}
