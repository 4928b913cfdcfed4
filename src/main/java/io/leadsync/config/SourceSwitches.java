package io.leadsync.config;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives {@code leadsync.<crm>.enabled} from the credentials (and {@code leadsync.intake.enabled} from
 * run-once mode), so a route file can say
 * {@code autoStartup: "{{leadsync.telecrm.enabled}}"}. An explicit {@code leadsync.<crm>.enabled=false}
 * still wins (higher ordinal), to switch a configured CRM off.
 */
public class SourceSwitches implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> switches = Map.of(
                "leadsync.telecrm.enabled", String.valueOf(
                        isSet(context, "leadsync.telecrm.enterprise-id") && isSet(context, "leadsync.telecrm.token")),
                "leadsync.superfone.enabled", String.valueOf(isSet(context, "leadsync.superfone.api-key")),
                "leadsync.truto.enabled", String.valueOf(
                        isSet(context, "leadsync.truto.token") && isSet(context, "leadsync.truto.integrated-account-ids")),
                // A run-once job does its work and exits: no lead intake or delivery opens meanwhile.
                "leadsync.intake.enabled", String.valueOf(!isSet(context, "leadsync.run-once")));
        return List.of(new MapBackedConfigSource("leadsync source switches", switches, 50) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static boolean isSet(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(key);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
