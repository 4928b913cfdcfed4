package io.leadsync.console;

import java.time.Duration;
import java.util.Map;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.ConfigRule;
import io.leadsync.config.Mappings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code leadsync.console.*} keys are a mapping of their own ({@link ConsoleConfig}): io.leadsync.config.ConfigCheck
 * learns them here, so LEADSYNC_CONSOLE_* environment variables are not taken for misspelt ones. Their types say the rest.
 */
@RegisterForReflection // loaded by name, from META-INF/services
public class ConsoleConfigCheck implements ConfigRule {

    @Override
    public void check(Mappings config, ConfigProblems problems) {
    }

    @Override
    public Map<Class<?>, String> mappings() {
        return Map.of(ConsoleConfig.class, "leadsync.console");
    }
}
