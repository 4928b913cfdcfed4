package io.leadsync.crm.telecrm;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.LeadsyncConfig;
import io.leadsync.crm.CrmAnswer;
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
 * Every TeleCRM lead, page by page: {@code POST lead/search?skip=&limit=} with an empty body (which
 * matches every lead), until a page holds fewer than {@code limit} rows or {@code total_count} is
 * reached. Rows carry {@code fields}; the id and status may also sit at the top of the row. An
 * incremental run filters on {@code fields.created_on.from} (inclusive, epoch ms) from its checkpoint.
 */
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("telecrmLeadExport")
public class TelecrmLeadExport {

    private static final String WHAT = "TeleCRM lead search";
    /** The checkpoint's stream: the newest created_on (epoch ms) seen. */
    private static final String CREATED_ON = "created_on";
    /** The exchange property holding the walk's created_on filter (epoch ms), absent for every lead. */
    static final String CREATED_FROM = "telecrmCreatedFrom";
    /** Its ETL job, {@code direct:etl-telecrm-leads} (routes/telecrm-etl.yaml). */
    static final String JOB = "telecrm-leads";

    @Inject
    LeadsyncConfig config;

    @Inject
    TelecrmConfig telecrm;

    @Inject
    EtlSchedule schedule;

    @Inject
    ObjectMapper json;

    @Inject
    TelecrmPipeline errors;

    /** The job's schedule, {@code leadsync.etl.telecrm-leads.cron}: on the leader, while TeleCRM is enabled. */
    @Scheduled(identity = JOB, cron = "${leadsync.etl.telecrm-leads.cron}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void scheduled() {
        if (telecrm.telecrm().enabled()) {
            schedule.runOnLeader(JOB);
        }
    }

    /** Where the run starts (property telecrmCreatedFrom): the leads created since its checkpoint; null, every lead. */
    public Long createdFrom(@ExchangeProperty(ExportRun.PROPERTY) ExportRun run) {
        return run.from(CREATED_ON).map(Long::parseLong).orElse(null);
    }

    /**
     * A walk over the leads with direct:telecrm-lead-page, from the first page: every lead, or (property
     * telecrmCreatedFrom) only those created at or after that epoch ms. The ETL export and the change detection
     * (TelecrmChanges) both walk so.
     */
    public PageWalk walk() {
        if (!telecrm.telecrm().enabled()) {
            throw new IllegalStateException("TeleCRM is not enabled: set leadsync.telecrm.enterprise-id and leadsync.telecrm.token");
        }
        return PageWalk.from(WHAT, "0", config.etl().maxPages());
    }

    /** The walk's next page: TeleCRM pages a search by skip and limit. */
    public String query(@ExchangeProperty(PageWalk.PROPERTY) PageWalk walk) {
        return "skip=" + walk.next() + "&limit=" + limit();
    }

    /** An empty search matches every lead; an incremental walk asks only for leads created since its start point. */
    public JsonNode search(@ExchangeProperty(CREATED_FROM) Long createdFrom) {
        com.fasterxml.jackson.databind.node.ObjectNode body = json.createObjectNode();
        if (createdFrom != null) {
            body.putObject("fields").putObject("created_on").put("from", createdFrom.longValue());
        }
        return body;
    }

    /** A lead row and its position in the whole result (0-based), for error messages. */
    public record Row(long position, JsonNode lead) {
    }

    /** Reads one page, moves the walk on, and returns its rows for the splitter. */
    public List<Row> readPage(@Variable(CrmAnswer.VARIABLE) CrmAnswer answer, @ExchangeProperty(PageWalk.PROPERTY) PageWalk walk)
            throws IOException {
        JsonNode page = CrmExchanges.answer(json, answer, errors, WHAT);
        JsonNode rows = CrmExchanges.requiredArray(page, "data", WHAT + ", skip " + walk.next());
        long skip = Long.parseLong(walk.next());
        long next = skip + rows.size();
        boolean more = rows.size() >= limit()
                && (!page.path("total_count").canConvertToLong() || next < page.path("total_count").asLong());
        walk.advance(walk.next(), rows.size(), more ? String.valueOf(next) : null);
        return IntStream.range(0, rows.size()).mapToObj(i -> new Row(skip + i, rows.get(i))).toList();
    }

    /** One row as an export record, or counted as skipped with its position when it is not a lead. */
    public void export(Row positioned, @ExchangeProperty(ExportRun.PROPERTY) ExportRun run) throws IOException {
        String position = "lead " + (positioned.position() + 1);
        JsonNode row = positioned.lead();
        JsonNode fields = row.path("fields");
        if (!row.isObject() || !fields.isObject()) {
            run.skip(position, "not a lead row with 'fields': " + io.leadsync.crm.CrmErrorReader.excerpt(row.toString()));
            return;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", TelecrmPipeline.SOURCE);
        record.put("leadId", text(row, "id", "lead_id"));
        record.put("stage", text(fields, "status") != null ? text(fields, "status") : text(row, "status"));
        record.put("phone", text(fields, "phone"));
        record.put("name", text(fields, "name"));
        record.put("email", text(fields, "email"));
        record.put("fields", json.convertValue(fields, Map.class));
        run.write(record);
        if (fields.path(CREATED_ON).canConvertToLong()) { // epoch ms: the newest is where the next run starts
            long created = fields.path(CREATED_ON).asLong();
            if (run.reached(CREATED_ON).map(Long::parseLong).orElse(Long.MIN_VALUE) < created) {
                run.reached(CREATED_ON, String.valueOf(created));
            }
        }
    }

    private int limit() {
        return Math.max(1, Math.min(100, config.etl().pageSize()));
    }
}
