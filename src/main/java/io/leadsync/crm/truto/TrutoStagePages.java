package io.leadsync.crm.truto;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.catalog.CatalogDraft;
import io.leadsync.catalog.CatalogSources;
import io.leadsync.crm.CrmAnswer;
import io.leadsync.crm.CrmErrorReader;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.model.Stage;
import io.leadsync.model.StageCategory;
import io.leadsync.paging.PageWalk;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

import static io.leadsync.crm.CrmExchanges.text;

/**
 * Truto's unified CRM stages ({@code GET unified/crm/stages?integrated_account_id=&limit=}), following
 * {@code next_cursor} until it is null; one source per integrated account, named {@code truto:<account>}.
 * Truto has no stage categories: {@code leadsync.truto.categories} can give them by stage name or id.
 */
@Startup
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("trutoStagePages")
public class TrutoStagePages implements CrmErrorReader {

    static final String CRM = "truto";
    static final String ACCOUNT = "trutoAccount";

    @Inject
    LeadsyncConfig config;

    @Inject
    TrutoConfig truto;

    @Inject
    ObjectMapper json;

    @Inject
    CatalogSources sources;

    private final Map<String, StageCategory> categories = new HashMap<>();

    @PostConstruct
    void readCategories() {
        for (String pair : truto.truto().categories().orElse(List.of())) {
            // Each entry's shape is checked at start-up (Truto#check).
            int colon = pair.lastIndexOf(':');
            categories.put(pair.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    StageCategory.valueOf(pair.substring(colon + 1).trim().toUpperCase(Locale.ROOT)));
        }
    }

    /** The accounts to poll, for the timer route's splitter. */
    public List<String> accounts() {
        return sources.accounts("truto");
    }

    /** A poll's catalog, the integrated account's own source, empty until its pages are read into it. */
    public CatalogDraft newCatalog(@ExchangeProperty(ACCOUNT) String account) {
        return new CatalogDraft(CRM + ":" + account);
    }

    /** A poll's walk over the account's stages, from the first page. */
    public PageWalk walk(@ExchangeProperty(ACCOUNT) String account) {
        return PageWalk.from("Truto stages of account " + account, null, config.stages().maxPages());
    }

    /** The walk's next page: Truto pages by cursor, within one integrated account. */
    public String query(@ExchangeProperty(ACCOUNT) String account, @ExchangeProperty(PageWalk.PROPERTY) PageWalk walk) {
        return "integrated_account_id=" + encode(account) + "&limit=" + truto.truto().pageSize()
                + (walk.next() == null ? "" : "&next_cursor=" + encode(walk.next()));
    }

    /** Reads one page, moves the walk on to next_cursor, and returns the page's stages for the splitter. */
    public List<JsonNode> readPage(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(PageWalk.PROPERTY) PageWalk walk) throws IOException {
        String what = "Truto stages, " + (walk.next() == null ? "first page" : "cursor " + walk.next());
        JsonNode page = CrmExchanges.readObject(json, answer, this, what);
        JsonNode result = CrmExchanges.requiredArray(page, "result", what);
        String next = text(page, "next_cursor");
        walk.advance(null, result.size(), next == null || next.isEmpty() ? null : next);
        return StreamSupport.stream(result.spliterator(), false).toList();
    }

    public void addStage(JsonNode row, @ExchangeProperty(CatalogDraft.PROPERTY) CatalogDraft catalog) {
        String id = text(row, "id");
        if (id == null) {
            catalog.warn("skipped a Truto stage without id: " + CrmErrorReader.excerpt(row.toString()));
            return;
        }
        String name = text(row, "name");
        Integer position = row.path("position").isNumber() ? row.path("position").asInt() : null;
        catalog.addStage(new Stage(catalog.source(), id, name, text(row.path("pipeline"), "id"),
                category(id, name), position, !"inactive".equalsIgnoreCase(text(row, "status"))));
    }

    private StageCategory category(String id, String name) {
        StageCategory byName = name == null ? null : categories.get(name.toLowerCase(Locale.ROOT));
        return byName != null ? byName : categories.get(id.toLowerCase(Locale.ROOT));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String crm() {
        return CRM;
    }

    @Override
    public String describe(int status, String body) {
        JsonNode error = CrmErrorReader.parse(json, body);
        String message = text(error, "message");
        if (message == null) {
            return CrmErrorReader.excerpt(body);
        }
        String described = (text(error, "error") == null ? "" : text(error, "error") + ": ") + message;
        return error.path("truto_is_remote_error").asBoolean(false) ? described + " (from the integrated CRM)"
                : described;
    }
}
