package io.leadsync.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.leadsync.model.CatalogItem;
import io.leadsync.model.Stage;
import io.leadsync.model.StageChange;
import io.leadsync.model.StageChange.Entity;
import io.leadsync.model.StageChange.Kind;

/** What changed between two catalogs of one source, matched by id. */
final class CatalogDiff {

    private CatalogDiff() {
    }

    static List<StageChange> between(SourceCatalog before, SourceCatalog after, Instant at) {
        List<StageChange> changes = new ArrayList<>();
        diff(Entity.STAGE, before == null ? List.of() : before.stages(), after.stages(), at, changes);
        diff(Entity.LOST_REASON, before == null ? List.of() : before.lostReasons(), after.lostReasons(), at, changes);
        return changes;
    }

    private static void diff(Entity entity, List<? extends CatalogItem> before, List<? extends CatalogItem> after,
            Instant at, List<StageChange> changes) {
        Map<String, CatalogItem> old = byId(before);
        Map<String, CatalogItem> now = byId(after);
        for (CatalogItem item : now.values()) {
            CatalogItem was = old.get(item.id());
            if (was == null) {
                changes.add(change(entity, Kind.ADDED, null, item, at));
                continue;
            }
            if (!Objects.equals(was.name(), item.name())) {
                changes.add(change(entity, Kind.RENAMED, was, item, at));
            }
            if (was.active() && !item.active()) {
                changes.add(change(entity, Kind.ARCHIVED, was, item, at));
            } else if (!was.active() && item.active()) {
                changes.add(change(entity, Kind.REACTIVATED, was, item, at));
            }
            if (was instanceof Stage s && item instanceof Stage t && movedWithin(s, t)) {
                changes.add(change(entity, Kind.CHANGED, was, item, at));
            }
        }
        for (CatalogItem item : old.values()) {
            if (!now.containsKey(item.id())) {
                changes.add(change(entity, Kind.REMOVED, item, null, at));
            }
        }
    }

    private static boolean movedWithin(Stage was, Stage now) {
        return was.category() != now.category() || !Objects.equals(was.pipeline(), now.pipeline())
                || !Objects.equals(was.position(), now.position());
    }

    private static StageChange change(Entity entity, Kind kind, CatalogItem before, CatalogItem after, Instant at) {
        CatalogItem subject = after != null ? after : before;
        return new StageChange(subject.source(), entity, kind, subject.id(), subject.name(), before, after, at);
    }

    private static Map<String, CatalogItem> byId(List<? extends CatalogItem> items) {
        Map<String, CatalogItem> map = new LinkedHashMap<>();
        items.forEach(item -> map.put(item.id(), item));
        return map;
    }
}
