package io.leadsync.crm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives {@code leadsync.<crm>.enabled} from each CRM's credentials ({@link Crm#credentials()}), and from run-once
 * mode {@code leadsync.intake.enabled} and {@code leadsync.<crm>.polling} (its stage-poll timer), so a route file can
 * say {@code autoStartup: "{{leadsync.telecrm.enabled}}"}. An explicit {@code leadsync.<crm>.enabled=false} still wins
 * (higher ordinal), to switch a configured CRM off.
 */
public class SourceSwitches implements ConfigSourceFactory {

    private static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // A run-once job does its work and exits: no lead intake or delivery opens, no timer polls meanwhile.
        boolean service = !isSet(context, "leadsync.run-once");
        Map<String, String> switches = new HashMap<>();
        switches.put("leadsync.intake.enabled", String.valueOf(service));
        for (Crm crm : Crms.ALL) {
            crm(switches, context, crm.name(), service, crm.credentials().stream().allMatch(key -> isSet(context, key)));
        }
        return List.of(new MapBackedConfigSource("leadsync source switches", switches, ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** {@code leadsync.<crm>.enabled} from its credentials, and {@code .polling}: enabled (or switched on) and a service. */
    private static void crm(Map<String, String> switches, ConfigSourceContext context, String crm, boolean service,
            boolean configured) {
        // Set by the operator (above this source's ordinal), not the mapping's default: it wins, as it does for .enabled.
        ConfigValue explicit = context.getValue("leadsync." + crm + ".enabled");
        boolean enabled = explicit != null && explicit.getValue() != null && explicit.getConfigSourceOrdinal() > ORDINAL
                ? Boolean.parseBoolean(explicit.getValue())
                : configured;
        switches.put("leadsync." + crm + ".enabled", String.valueOf(configured));
        switches.put("leadsync." + crm + ".polling", String.valueOf(enabled && service));
    }

    private static boolean isSet(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(key);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
