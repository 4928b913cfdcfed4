package io.leadsync.sync;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.leadsync.config.LeadsyncConfig;

/** One {@code source>target} pair of leadsync.sync.flows: the source's stage changes become updates for the target. */
public record Flow(String source, String target) {

    @Override
    public String toString() {
        return source + ">" + target;
    }

    /**
     * The flows of {@code leadsync.sync.flows}; one that cannot work (an unknown or disabled CRM, a source whose
     * webhook secret is not set, TeleCRM as a source while it is not enabled, a pair given twice) is an IllegalArgumentException naming the pair and why.
     */
    public static List<Flow> parse(LeadsyncConfig config) {
        List<String> pairs = config.sync().flows().orElse(List.of());
        Set<Flow> parsed = new LinkedHashSet<>();
        for (String pair : pairs) {
            String[] sides = pair.split(">", -1);
            if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
                throw invalid(pair, "is not source>target (superfone>telecrm, telecrm>superfone, truto:<account>>telecrm)");
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

    private static String sourceProblem(LeadsyncConfig config, String source) {
        if (source.equals("telecrm")) {
            // No webhook: its changes are found by walking its leads (io.leadsync.crm.telecrm.TelecrmChanges).
            return config.telecrm().enabled() ? null : "TeleCRM is not enabled (leadsync.telecrm.enterprise-id and"
                    + " leadsync.telecrm.token): its changes are found by reading its leads";
        }
        if (source.equals("superfone")) {
            return config.superfone().webhookSecret().filter(s -> !s.isBlank()).isPresent() ? null
                    : "its events come in at POST /webhooks/superfone, which needs leadsync.superfone.webhook-secret";
        }
        if (source.startsWith("truto:")) {
            if (!accounts(config).contains(source.substring("truto:".length()))) {
                return "truto account " + source.substring("truto:".length())
                        + " is not one of leadsync.truto.integrated-account-ids " + accounts(config);
            }
            return config.truto().webhookSecret().filter(s -> !s.isBlank()).isPresent() ? null
                    : "its events come in at POST /webhooks/truto, which needs leadsync.truto.webhook-secret";
        }
        return "unknown source '" + source + "': telecrm, superfone or truto:<account>";
    }

    private static String targetProblem(LeadsyncConfig config, String target) {
        boolean enabled = switch (target.split(":", 2)[0]) {
            case "telecrm" -> target.equals("telecrm") && config.telecrm().enabled();
            case "superfone" -> target.equals("superfone") && config.superfone().enabled();
            case "truto" -> target.startsWith("truto:") && config.truto().enabled()
                    && accounts(config).contains(target.substring("truto:".length()));
            default -> false;
        };
        return enabled ? null : "target '" + target + "' is not an enabled CRM (telecrm, superfone, truto:<account>)";
    }

    private static List<String> accounts(LeadsyncConfig config) {
        return config.truto().integratedAccountIds().orElse(List.of());
    }

    private static IllegalArgumentException invalid(String pair, String problem) {
        return new IllegalArgumentException("'" + pair + "' " + problem);
    }
}
