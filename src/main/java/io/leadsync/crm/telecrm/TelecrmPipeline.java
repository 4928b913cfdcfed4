package io.leadsync.crm.telecrm;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.catalog.CatalogDraft;
import io.leadsync.crm.CrmAnswer;
import io.leadsync.crm.CrmErrorReader;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.crm.MalformedAnswerException;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.model.LostReason;
import io.leadsync.model.Stage;
import io.leadsync.model.StageCategory;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

import static io.leadsync.crm.CrmExchanges.array;
import static io.leadsync.crm.CrmExchanges.text;

/**
 * TeleCRM's lead-stage pipeline ({@code GET enterprise/{id}/lead-stage-pipeline}): one document
 * with every stage's active and archived statuses and the lost reasons. Each status is a leadsync
 * stage (id = statusid, pipeline = stageid, category = stageType). Some workspaces answer with
 * top-level {@code statuses}/{@code lostReasons} instead of {@code leadStages}; both are read.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("telecrmPipeline")
public class TelecrmPipeline implements CrmErrorReader {

    static final String SOURCE = "telecrm";
    private static final String WHAT = "TeleCRM lead-stage pipeline";

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    /** A poll's catalog, empty until the pipeline is read into it. */
    public CatalogDraft newCatalog() {
        return new CatalogDraft(SOURCE);
    }

    /** Reads the pipeline document into the catalog. */
    public void read(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(CatalogDraft.PROPERTY) CatalogDraft catalog) throws IOException {
        JsonNode root = CrmExchanges.readObject(json, answer, this, WHAT);
        if (root.has("leadStages")) {
            for (JsonNode stage : array(root, "leadStages", WHAT)) {
                String pipeline = text(stage, "stageid");
                StageCategory category = category(text(stage, "stageType"), catalog);
                array(stage, "activeStatuses", WHAT).forEach(s -> addStatus(s, pipeline, category, true, catalog));
                array(stage, "archivedStatuses", WHAT).forEach(s -> addStatus(s, pipeline, category, false, catalog));
            }
        } else if (root.has("statuses")) {
            for (JsonNode status : array(root, "statuses", WHAT)) {
                addStatus(status, text(status, "stageid", "pipeline"), category(text(status, "stageType", "type"), catalog),
                        !archived(status), catalog);
            }
        } else {
            throw new MalformedAnswerException(WHAT + ": neither 'leadStages' nor 'statuses' in the answer");
        }
        if (root.has("activeLeadLostReasons") || root.has("archivedLeadLostReasons")) {
            array(root, "activeLeadLostReasons", WHAT).forEach(r -> addLostReason(r, true, catalog));
            array(root, "archivedLeadLostReasons", WHAT).forEach(r -> addLostReason(r, false, catalog));
        } else {
            array(root, "lostReasons", WHAT).forEach(r -> addLostReason(r, !archived(r), catalog));
        }
    }

    /** Positions follow the document's order, across stages, as TeleCRM shows the pipeline. */
    private static void addStatus(JsonNode status, String pipeline, StageCategory category, boolean active,
            CatalogDraft catalog) {
        String id = text(status, "statusid", "id");
        String label = text(status, "label", "name");
        if (id == null || label == null) {
            catalog.warn("skipped a TeleCRM status without statusid or label: " + CrmErrorReader.excerpt(status.toString()));
            return;
        }
        catalog.addStage(new Stage(SOURCE, id, label, pipeline, category, catalog.stageCount() + 1, active));
    }

    private static void addLostReason(JsonNode reason, boolean active, CatalogDraft catalog) {
        String id = text(reason, "reasonid", "id");
        String label = text(reason, "reasonLabel", "label", "name");
        if (id == null || label == null) {
            catalog.warn("skipped a TeleCRM lost reason without reasonid or reasonLabel: "
                    + CrmErrorReader.excerpt(reason.toString()));
            return;
        }
        catalog.addLostReason(new LostReason(SOURCE, id, label, active));
    }

    private static StageCategory category(String stageType, CatalogDraft catalog) {
        if (stageType == null) {
            return null;
        }
        try {
            return StageCategory.valueOf(stageType);
        } catch (IllegalArgumentException unknown) {
            catalog.warn("unknown TeleCRM stageType '" + stageType + "'; its statuses have no category");
            return null;
        }
    }

    private static boolean archived(JsonNode node) {
        return node.path("archived").asBoolean(false) || node.path("isArchived").asBoolean(false)
                || (node.has("active") && !node.path("active").asBoolean(true));
    }

    @Override
    public String crm() {
        return SOURCE;
    }

    @Override
    public String describe(int status, String body) {
        JsonNode error = CrmErrorReader.parse(json, body).path("error");
        if (error.isObject()) {
            return error.path("code").asText("?") + " " + error.path("message").asText("");
        }
        return CrmErrorReader.excerpt(body);
    }
}
