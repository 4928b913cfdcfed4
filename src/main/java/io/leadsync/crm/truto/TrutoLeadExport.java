package io.leadsync.crm.truto;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.catalog.CatalogSources;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmAnswer;
import io.leadsync.crm.CrmErrorReader;
import io.leadsync.crm.CrmExchanges;
import io.leadsync.etl.EtlSchedule;
import io.leadsync.etl.ExportRun;
import io.leadsync.paging.PageWalk;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;

import static io.leadsync.crm.CrmExchanges.text;

/**
 * Every Truto unified lead of every integrated account: {@code GET unified/crm/leads?integrated_account_id=
 * &limit=&next_cursor=}, following {@code next_cursor} until it is null. The checkpoint of an account is
 * the cursor of the last page its last successful run read: the next run starts by reading that page again
 * (upserts make it harmless) and goes on to whatever came after it. A walk that ended on its first page
 * leaves no cursor, so the next run reads everything again.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("trutoLeadExport")
public class TrutoLeadExport {

    /** Its ETL job, {@code direct:etl-truto-leads} (routes/truto-etl.yaml). */
    static final String JOB = "truto-leads";

    @Inject
    LeadsyncConfig config;

    @Inject
    TrutoConfig truto;

    @Inject
    EtlSchedule schedule;

    @Inject
    ObjectMapper json;

    @Inject
    CatalogSources sources;

    @Inject
    TrutoStagePages errors;

    /** The job's schedule, {@code leadsync.etl.truto-leads.cron}: on the leader, while Truto is enabled. */
    @Scheduled(identity = JOB, cron = "${leadsync.etl.truto-leads.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void scheduled() {
        if (truto.truto().enabled()) {
            schedule.runOnLeader(JOB);
        }
    }

    /** The accounts to read, for the job's splitter. */
    public List<String> accounts() {
        if (!truto.truto().enabled()) {
            throw new IllegalStateException(
                    "Truto is not enabled: set leadsync.truto.token and leadsync.truto.integrated-account-ids");
        }
        return sources.accounts("truto");
    }

    /** A walk over the account's leads, from the cursor where its last successful run ended. */
    public PageWalk walk(@ExchangeProperty(TrutoStagePages.ACCOUNT) String account,
            @ExchangeProperty(ExportRun.PROPERTY) ExportRun run) {
        return PageWalk.from(what(account), run.from(account).orElse(null), config.etl().maxPages());
    }

    /** The walk's next page: Truto pages by cursor, within one integrated account. */
    public String query(@ExchangeProperty(TrutoStagePages.ACCOUNT) String account,
            @ExchangeProperty(PageWalk.PROPERTY) PageWalk walk) {
        return "integrated_account_id=" + encode(account) + "&limit=" + config.etl().pageSize()
                + (walk.next() == null ? "" : "&next_cursor=" + encode(walk.next()));
    }

    /** A lead and where it was found, for error messages. */
    public record Row(String page, int index, JsonNode lead) {
    }

    /** Reads one page, moves the walk (and the run's position) on, and returns its leads for the splitter. */
    public List<Row> readPage(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer,
            @ExchangeProperty(TrutoStagePages.ACCOUNT) String account, @ExchangeProperty(PageWalk.PROPERTY) PageWalk walk,
            @ExchangeProperty(ExportRun.PROPERTY) ExportRun run) throws IOException {
        String cursor = walk.next();
        String page = cursor == null ? "first page" : "cursor " + cursor;
        JsonNode leads = CrmExchanges.answer(json, answer, errors, what(account) + ", " + page);
        JsonNode result = CrmExchanges.requiredArray(leads, "result", what(account) + ", " + page);
        String next = text(leads, "next_cursor");
        boolean last = next == null || next.isEmpty();
        walk.advance(null, result.size(), last ? null : next);
        if (last && cursor != null) {
            run.reached(account, cursor);
        }
        return IntStream.range(0, result.size()).mapToObj(i -> new Row(page, i, result.get(i))).toList();
    }

    /** One unified lead as an export record, or counted as skipped with its position when it is not one. */
    public void export(Row row, @ExchangeProperty(TrutoStagePages.ACCOUNT) String account,
            @ExchangeProperty(ExportRun.PROPERTY) ExportRun run) throws IOException {
        JsonNode lead = row.lead();
        if (!lead.isObject() || text(lead, "id") == null) {
            run.skip("truto:" + account + " " + row.page() + " lead " + (row.index() + 1),
                    "not a unified lead with an id: " + CrmErrorReader.excerpt(lead.toString()));
            return;
        }
        String name = String.join(" ", java.util.stream.Stream.of(text(lead, "first_name"), text(lead, "last_name"))
                .filter(part -> part != null && !part.isBlank()).toList());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", TrutoStagePages.CRM + ":" + account);
        record.put("leadId", text(lead, "id"));
        record.put("stage", text(lead, "status"));
        record.put("phone", text(lead.path("phone_numbers").path(0), "number"));
        record.put("name", name.isEmpty() ? null : name);
        record.put("email", text(lead.path("email_addresses").path(0), "email"));
        record.put("fields", json.convertValue(lead, Map.class));
        run.write(record);
    }

    private static String what(String account) {
        return "Truto leads of account " + account;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
