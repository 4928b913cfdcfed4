package io.leadsync.etl;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.leadsync.catalog.CatalogPolls;
import io.leadsync.catalog.StageCatalog;
import io.leadsync.model.Stage;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.ExchangeProperty;

/** Every enabled source's stage catalog, polled first (the last good one is kept where a poll fails), one record per stage. */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("stagesExport")
public class StagesExport {

    @Inject
    StageCatalog catalog;

    @Inject
    CatalogPolls polls;

    public Iterator<Stage> stages() {
        polls.pollNow(null);
        return catalog.stages(null, null).iterator();
    }

    public void export(Stage stage, @ExchangeProperty(ExportRun.PROPERTY) ExportRun run) throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", stage.source());
        record.put("id", stage.id());
        record.put("name", stage.name());
        record.put("pipeline", stage.pipeline());
        record.put("category", stage.category() == null ? null : stage.category().name());
        record.put("position", stage.position());
        record.put("active", stage.active());
        run.write(record);
    }
}
