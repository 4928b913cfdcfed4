package io.leadsync.sandbox;

import java.util.Map;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.ConfigRule;
import io.leadsync.config.Mappings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code leadsync.sandbox.*} keys are a mapping of their own ({@link SandboxConfig}): io.leadsync.config.ConfigCheck
 * learns them here, so LEADSYNC_SANDBOX_* environment variables are not taken for misspelt ones. Nothing else to check.
 */
@RegisterForReflection // loaded by name, from META-INF/services
public class SandboxConfigCheck implements ConfigRule {

    @Override
    public void check(Mappings config, ConfigProblems problems) {
    }

    @Override
    public Map<Class<?>, String> mappings() {
        return Map.of(SandboxConfig.class, "leadsync.sandbox");
    }
}
