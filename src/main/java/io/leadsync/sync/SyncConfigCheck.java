package io.leadsync.sync;

import java.util.List;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.ConfigRule;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.config.Mappings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Checks {@code leadsync.sync.flows} when the configuration is read (io.leadsync.config.ConfigCheck runs it): every
 * flow joins two enabled CRMs, its source can tell its changes ({@link Flow#parse}).
 */
@RegisterForReflection // loaded by name, from META-INF/services
public class SyncConfigCheck implements ConfigRule {

    @Override
    public void check(Mappings config, ConfigProblems problems) {
        try {
            Flow.parse(config);
        } catch (IllegalArgumentException e) {
            problems.add("leadsync.sync.flows", String.join(",", config.get(LeadsyncConfig.class).sync().flows().orElse(List.of())), e.getMessage());
        }
    }
}
