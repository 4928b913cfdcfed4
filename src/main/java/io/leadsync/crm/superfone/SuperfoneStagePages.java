package io.leadsync.crm.superfone;

import java.io.IOException;
import java.util.List;
import java.util.stream.StreamSupport;

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
import io.leadsync.model.Stage;
import io.leadsync.model.StageCategory;
import io.leadsync.paging.PageWalk;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

import static io.leadsync.crm.CrmExchanges.text;

/**
 * Superfone's lead stages ({@code GET enterprise/api/lead-stage?page=&page_size=}), page by page from
 * page 1 until {@code total_pages} as the server reports it — a server may cap page_size below what
 * was asked. Category from {@code type}; DISABLED stages are inactive.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("superfoneStagePages")
public class SuperfoneStagePages implements CrmErrorReader {

    static final String SOURCE = "superfone";
    private static final String WHAT = "Superfone lead stages";

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    /** A poll's catalog, empty until its pages are read into it. */
    public CatalogDraft newCatalog() {
        return new CatalogDraft(SOURCE);
    }

    /** A poll's walk over the pages, from page 1. */
    public PageWalk walk() {
        return PageWalk.from(WHAT, "1", config.stages().maxPages());
    }

    /** Reads one page, moves the walk on, and returns the page's rows for the splitter. */
    public List<JsonNode> readPage(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(PageWalk.PROPERTY) PageWalk walk) throws IOException {
        JsonNode data = CrmExchanges.readObject(json, answer, this, WHAT).path("data");
        if (!data.isObject()) {
            throw new MalformedAnswerException(WHAT + ", page " + walk.next() + ": 'data' is missing or not an object");
        }
        JsonNode rows = CrmExchanges.requiredArray(data, "rows", WHAT + ", page " + walk.next());
        int totalPages = number(data, "total_pages", walk);
        int currentPage = data.hasNonNull("current_page") ? number(data, "current_page", walk)
                : Integer.parseInt(walk.next());
        walk.advance(String.valueOf(currentPage), rows.size(),
                currentPage < totalPages ? String.valueOf(currentPage + 1) : null);
        return StreamSupport.stream(rows.spliterator(), false).toList();
    }

    public void addStage(JsonNode row, @ExchangeProperty(CatalogDraft.PROPERTY) CatalogDraft catalog) {
        String id = text(row, "id");
        String title = text(row, "title");
        if (id == null || title == null) {
            catalog.warn("skipped a Superfone stage without id or title: " + CrmErrorReader.excerpt(row.toString()));
            return;
        }
        Integer position = row.path("position").isNumber() ? row.path("position").asInt() : null;
        catalog.addStage(new Stage(SOURCE, id, title, null, category(text(row, "type"), catalog), position,
                !"DISABLED".equals(text(row, "status"))));
    }

    private static StageCategory category(String type, CatalogDraft catalog) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "INITIAL", "NONE" -> StageCategory.OPEN;
            case "FINAL_POSITIVE" -> StageCategory.WON;
            case "FINAL_NEGATIVE" -> StageCategory.LOST;
            default -> {
                catalog.warn("unknown Superfone stage type '" + type + "'; the stage has no category");
                yield null;
            }
        };
    }

    private static int number(JsonNode data, String field, PageWalk walk) {
        JsonNode value = data.path(field);
        if (!value.canConvertToInt()) {
            throw new MalformedAnswerException(WHAT + ", page " + walk.next() + ": '" + field + "' is "
                    + (value.isMissingNode() ? "missing" : "not a whole number: " + value));
        }
        return value.asInt();
    }

    @Override
    public String crm() {
        return SOURCE;
    }

    /** Besides the common shapes, {@code {"status":"error","message":…}} in a 200. */
    @Override
    public String errorIn(JsonNode answer) {
        String status = text(answer, "status");
        if (status != null && List.of("error", "fail", "failed", "failure").contains(status.toLowerCase(java.util.Locale.ROOT))) {
            return describe(200, answer.toString());
        }
        return CrmErrorReader.super.errorIn(answer);
    }

    @Override
    public String describe(int status, String body) {
        String message = text(CrmErrorReader.parse(json, body), "message");
        return message != null ? message : CrmErrorReader.excerpt(body);
    }
}
