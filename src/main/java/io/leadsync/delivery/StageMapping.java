package io.leadsync.delivery;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.catalog.SourceCatalog;
import io.leadsync.catalog.StageCatalog;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.Crm;
import io.leadsync.crm.Crms;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.LostReason;
import io.leadsync.model.Stage;
import io.leadsync.model.StageCategory;

/**
 * Checks an update against its target's live catalog and puts its stage into the
 * target's vocabulary: explicit pairs from config, else the same name, else the same category (the
 * target's first active stage of it), else a {@link ValidationException} naming the valid stages.
 */
@ApplicationScoped
public class StageMapping {

    @Inject
    StageCatalog catalogs;

    @Inject
    LeadsyncConfig config;

    /** "source/stage" → "target/stage", from leadsync.delivery.stage-map. */
    private final Map<String, String> pairs = new HashMap<>();

    @PostConstruct
    void readPairs() {
        for (String pair : config.delivery().stageMap().orElse(List.of())) {
            String[] sides = pair.split("=", 2); // each pair's shape is checked at start-up (DeliveryConfigCheck)
            pairs.put(sides[0].trim(), sides[1].trim());
        }
    }

    public LeadUpdate check(LeadUpdate update) {
        if (update.stage() == null && update.lostReason() == null) {
            return update;
        }
        SourceCatalog target = catalogs.catalog(update.target()).orElseThrow(() -> new CatalogNotReadyException(
                "the stage catalog of " + update.target() + " has not been loaded yet"));
        LeadUpdate mapped = update.stage() == null ? update : update.withStage(targetStage(update, target));
        Stage stage = mapped.stage() == null ? null : activeStage(mapped.stage(), target);
        if (mapped.lostReason() != null) {
            checkLostReason(mapped.lostReason(), stage, target);
        }
        return mapped;
    }

    private String targetStage(LeadUpdate update, SourceCatalog target) {
        String from = update.stageSource();
        if (from == null || from.equals(update.target())) {
            return update.stage();
        }
        String explicit = pairs.get(from + "/" + update.stage());
        if (explicit != null && explicit.startsWith(update.target() + "/")) {
            return explicit.substring(update.target().length() + 1);
        }
        Optional<Stage> sameName = active(target).stream().filter(s -> s.name().equalsIgnoreCase(update.stage())).findFirst();
        if (sameName.isPresent()) {
            return sameName.get().name();
        }
        StageCategory category = catalogs.catalog(from).stream().flatMap(c -> c.stages().stream())
                .filter(s -> s.name().equals(update.stage())).map(Stage::category).filter(Objects::nonNull)
                .findFirst().orElse(null);
        Optional<Stage> sameCategory = category == null ? Optional.empty()
                : active(target).stream().filter(s -> s.category() == category)
                        .min(Comparator.comparing(s -> s.position() == null ? Integer.MAX_VALUE : s.position()));
        return sameCategory.map(Stage::name).orElseThrow(() -> new ValidationException("stage '" + update.stage()
                + "' of " + from + " has no counterpart in " + update.target()
                + ": no pair in leadsync.delivery.stage-map, no stage of that name"
                + (category == null ? ", and no category known for it" : ", and no active " + category + " stage")
                + "; valid stages of " + update.target() + ": " + names(active(target))));
    }

    private static Stage activeStage(String name, SourceCatalog target) {
        List<Stage> named = target.stages().stream().filter(s -> s.name().equals(name)).toList();
        List<Stage> usable = named.stream().filter(Stage::active).toList();
        if (usable.isEmpty()) {
            throw new ValidationException((named.isEmpty() ? "unknown stage '" : "stage '") + name + "'"
                    + (named.isEmpty() ? " for " : " is archived in ") + target.source()
                    + "; valid stages: " + names(active(target)));
        }
        Crm crm = Crms.ofSource(target.source()).filter(Crm::upsertsByStageTitle).orElse(null);
        if (crm != null) {
            List<Stage> sharing = target.stages().stream()
                    .filter(s -> s.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))).toList();
            if (sharing.size() > 1) {
                throw new ValidationException("the " + crm.title() + " stage title '" + name + "' is shared by stages "
                        + sharing.stream().map(Stage::id).toList() + ", so " + crm.title()
                        + " cannot upsert by it; rename one in the " + crm.title() + " dashboard");
            }
        }
        return usable.get(0);
    }

    private static void checkLostReason(String reason, Stage stage, SourceCatalog target) {
        if (stage != null && stage.category() != StageCategory.LOST) {
            throw new ValidationException("a lost reason belongs to a LOST stage, but '" + stage.name() + "' is "
                    + (stage.category() == null ? "of no category" : stage.category()) + " in " + target.source()
                    + "; LOST stages: " + names(active(target).stream().filter(s -> s.category() == StageCategory.LOST).toList()));
        }
        List<LostReason> reasons = target.lostReasons();
        if (!reasons.isEmpty() && reasons.stream().noneMatch(r -> r.active() && r.name().equals(reason))) {
            throw new ValidationException("unknown or archived lost reason '" + reason + "' for " + target.source()
                    + "; valid lost reasons: " + reasons.stream().filter(LostReason::active).map(LostReason::name).toList());
        }
    }

    private static List<Stage> active(SourceCatalog catalog) {
        return catalog.stages().stream().filter(Stage::active).toList();
    }

    private static List<String> names(List<Stage> stages) {
        return stages.stream().map(Stage::name).toList();
    }
}
