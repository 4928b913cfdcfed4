package io.leadsync.sync;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.config.Mappings;
import io.leadsync.crm.Crms;
import io.leadsync.crm.Crm;

/** One {@code source>target} pair of leadsync.sync.flows: the source's stage changes become updates for the target. */
public record Flow(String source, String target) {

    @Override
    public String toString() {
        return source + ">" + target;
    }

    /**
     * The flows of {@code leadsync.sync.flows}; one that cannot work (an unknown or disabled CRM, a source whose
     * webhook secret is not set, a walked CRM as a source while it is not enabled, a pair given twice) is an IllegalArgumentException naming the pair and why.
     */
    public static List<Flow> parse(Mappings config) {
        List<String> pairs = config.get(LeadsyncConfig.class).sync().flows().orElse(List.of());
        Set<Flow> parsed = new LinkedHashSet<>();
        for (String pair : pairs) {
            String[] sides = pair.split(">", -1);
            if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
                throw invalid(pair, "is not source>target (" + examples() + ")");
            }
            Flow flow = new Flow(sides[0].strip(), sides[1].strip());
            String problem = sourceProblem(config, flow.source());
            if (problem == null) {
                problem = targetProblem(config, flow.target());
            }
            if (problem == null && flow.source().equals(flow.target())) {
                problem = "goes from a CRM to itself";
            }
            if (problem != null) {
                throw invalid(pair, problem);
            }
            if (!parsed.add(flow)) {
                throw invalid(pair, "is given twice");
            }
        }
        return List.copyOf(parsed);
    }

    /** Flows for a message: out of each CRM, by name, to the first other CRM listed. */
    private static String examples() {
        return Crms.ALL.stream().sorted(Comparator.comparing(Crm::name))
                .map(from -> from.sourceShape() + ">" + Crms.NAMES.stream().filter(to -> !to.equals(from.name())).findFirst()
                        .orElseThrow())
                .collect(Collectors.joining(", "));
    }

    private static String sourceProblem(Mappings config, String source) {
        Crm crm = Crms.named(source.split(":", 2)[0]).orElse(null);
        if (crm == null || !crm.shapes(source)) {
            return "unknown source '" + source + "': " + Crms.sourceShapes(" or ");
        }
        if (crm.hasAccounts()) {
            String account = source.substring(crm.name().length() + 1);
            if (!crm.accounts(config).contains(account)) {
                return crm.name() + " account " + account + " is not one of " + crm.accountsKey() + " " + crm.accounts(config);
            }
        }
        if (!crm.sendsWebhooks()) {
            // No webhook: its changes are found by walking its leads (its package's walk, a WalkedSource).
            return crm.enabled(config) ? null : crm.title() + " is not enabled (" + crm.howToEnable().replaceFirst("^set ", "")
                    + "): its changes are found by reading its leads";
        }
        return crm.webhookSecret(config).filter(s -> !s.isBlank()).isPresent() ? null
                : "its events come in at POST /webhooks/" + crm.name() + ", which needs leadsync." + crm.name()
                        + ".webhook-secret";
    }

    private static String targetProblem(Mappings config, String target) {
        boolean enabled = Crms.ofSource(target)
                .filter(crm -> crm.enabled(config))
                .filter(crm -> !crm.hasAccounts() || crm.accounts(config).contains(target.substring(crm.name().length() + 1)))
                .isPresent();
        return enabled ? null : "target '" + target + "' is not an enabled CRM (" + Crms.sourceShapes(", ") + ")";
    }

    private static IllegalArgumentException invalid(String pair, String problem) {
        return new IllegalArgumentException("'" + pair + "' " + problem);
    }
}
