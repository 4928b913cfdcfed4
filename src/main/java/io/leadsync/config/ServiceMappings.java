package io.leadsync.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.ConfigProvider;

/** The running service's {@link Mappings}, for the beans that inject them. */
@Singleton
public class ServiceMappings {

    @Produces
    @Singleton
    Mappings mappings() {
        return Mappings.of(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
    }
}
