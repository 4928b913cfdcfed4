package io.leadsync.crm.truto;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.ConfigRule;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.model.StageCategory;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Checks {@code leadsync.truto.categories} when the configuration is read (io.leadsync.config.ConfigCheck runs it):
 * each entry is {@code stage name or id:OPEN|WON|LOST}, as {@link TrutoStagePages} reads them.
 */
@RegisterForReflection // loaded by name, from META-INF/services
public class TrutoConfigCheck implements ConfigRule {

    @Override
    public void check(LeadsyncConfig config, ConfigProblems problems) {
        config.truto().categories().ifPresent(pairs -> pairs.forEach(pair -> category(problems, pair)));
    }

    private static void category(ConfigProblems problems, String pair) {
        int colon = pair.lastIndexOf(':');
        String category = colon < 0 ? "" : pair.substring(colon + 1).strip().toUpperCase(Locale.ROOT);
        Set<String> known = Arrays.stream(StageCategory.values()).map(Enum::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (colon <= 0 || !known.contains(category)) {
            problems.add("leadsync.truto.categories", pair, "each entry must be 'stage name or id:" + String.join("|", known) + "'");
        }
    }
}
