package io.leadsync.delivery;

import io.leadsync.crm.Crms;
import io.leadsync.config.ConfigProblems;
import io.leadsync.config.ConfigRule;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.config.Mappings;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Checks {@code leadsync.delivery.stage-map} when the configuration is read (io.leadsync.config.ConfigCheck runs it):
 * each pair is {@code source/stage=target/stage}, a source being one of {@link Crms#sourceShapes}.
 * {@link StageMapping} reads the pairs so checked.
 */
@RegisterForReflection // loaded by name, from META-INF/services
public class DeliveryConfigCheck implements ConfigRule {

    private static final String KEY = "leadsync.delivery.stage-map";

    @Override
    public void check(Mappings config, ConfigProblems problems) {
        config.get(LeadsyncConfig.class).delivery().stageMap()
                .ifPresent(pairs -> pairs.forEach(pair -> stagePair(problems, pair)));
    }

    private static void stagePair(ConfigProblems problems, String pair) {
        String[] sides = pair.split("=", -1);
        if (sides.length != 2 || !sides[0].contains("/") || !sides[1].contains("/")) {
            // The example: a pair between the first two CRMs listed.
            problems.add(KEY, pair, "each pair must be source/stage=target/stage, e.g. " + Crms.NAMES.get(0)
                    + "/Qualified=" + Crms.NAMES.get(1) + "/Demo Scheduled");
            return;
        }
        for (String side : sides) {
            String source = side.substring(0, side.indexOf('/')).strip();
            String stage = side.substring(side.indexOf('/') + 1).strip();
            String crm = source.split(":", 2)[0];
            if (!Crms.NAMES.contains(crm)) {
                problems.add(KEY, pair, "unknown CRM '" + crm + "': the CRMs are " + String.join(", ", Crms.NAMES));
            } else if (Crms.ofSource(source).isEmpty()) {
                problems.add(KEY, pair, "'" + source + "' is not a source: they are " + Crms.sourceShapes(" and "));
            } else if (stage.isEmpty()) {
                problems.add(KEY, pair, "'" + side.strip() + "' names no stage");
            }
        }
    }
}
