package io.leadsync.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.leadsync.crm.Crm;
import io.leadsync.crm.Crms;
import io.leadsync.model.LostReason;
import io.leadsync.model.Stage;

/**
 * A source's catalog while a poll collects it, page by page. Only a complete draft is published;
 * a poll that fails leaves the last good catalog in place.
 */
public final class CatalogDraft {

    /** The exchange property that carries the draft through a poll route, set by its first step. */
    public static final String PROPERTY = "catalog";

    private final String source;
    private final Map<String, Stage> stages = new LinkedHashMap<>();
    private final Map<String, LostReason> lostReasons = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    public CatalogDraft(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    public void addStage(Stage stage) {
        if (stages.putIfAbsent(stage.id(), stage) != null) {
            warn("stage id " + stage.id() + " is listed twice; kept the first ('" + stages.get(stage.id()).name() + "')");
        }
    }

    public void addLostReason(LostReason reason) {
        if (lostReasons.putIfAbsent(reason.id(), reason) != null) {
            warn("lost reason id " + reason.id() + " is listed twice; kept the first");
        }
    }

    /** What else a name two stages share breaks: a CRM that upserts by stage title cannot use it. */
    private String upsertFails() {
        return Crms.ofSource(source).filter(Crm::upsertsByStageTitle)
                .map(crm -> " and a " + crm.title() + " upsert by it fails").orElse("");
    }

    /** Something in the CRM's answer that a person should know about but that does not fail the poll. */
    public void warn(String warning) {
        warnings.add(warning);
    }

    public int stageCount() {
        return stages.size();
    }

    /**
     * The finished catalog, with a warning for each name that several stages share. Warnings quote the
     * CRM's answer, so they pass through {@code redact} first.
     */
    SourceCatalog complete(Instant polledAt, UnaryOperator<String> redact) {
        List<String> all = new ArrayList<>(warnings);
        stages.values().stream()
                .collect(Collectors.groupingBy(s -> s.name() == null ? "" : s.name().toLowerCase(Locale.ROOT),
                        LinkedHashMap::new, Collectors.toList()))
                .values().stream()
                .filter(same -> same.size() > 1)
                .forEach(same -> all.add(same.size() + " stages share the name '" + same.get(0).name() + "' (ids "
                        + same.stream().map(Stage::id).collect(Collectors.joining(", "))
                        + "): an update naming this stage is ambiguous" + upsertFails()));
        return new SourceCatalog(source, polledAt, List.copyOf(stages.values()), List.copyOf(lostReasons.values()),
                all.stream().map(redact).toList());
    }
}
