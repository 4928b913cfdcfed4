package io.leadsync.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.leadsync.api.ProblemException;
import io.leadsync.catalog.CatalogSources;
import io.leadsync.catalog.StageCatalog;
import io.leadsync.cluster.Leadership;
import io.leadsync.delivery.DeadLettersResource;
import io.leadsync.delivery.LeadStore;
import io.leadsync.etl.EtlResource;
import io.leadsync.intake.InvalidUpdateException;
import io.leadsync.intake.LeadUpdateReader;
import io.leadsync.model.DeadLetter;
import io.leadsync.model.LeadUpdate;
import io.leadsync.model.Receipt;
import io.leadsync.model.SourceStatus;
import io.leadsync.model.Stage;
import io.leadsync.model.StageChange;
import io.leadsync.routefiles.RouteFileStates;
import io.leadsync.routefiles.RouteFilesResource;
import io.leadsync.storage.TimeOrderedIds;
import io.leadsync.sync.SyncFlows;
import io.leadsync.webhooks.WebhookEvent;
import io.leadsync.webhooks.WebhookEvents;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * The operator console: server-rendered pages over the same store, catalog and resources as the API (docs/console.md).
 * Every page sits one level below {@code /console/} and links relatively, so it works at any sub-path a reverse proxy
 * puts it under; redirects are relative too. Reading needs a session when {@code leadsync.api-key} is set
 * ({@link ConsoleAccess}); every change is a POST with the form token. Every text a CRM or a person wrote is shown
 * through Qute's HTML escaping, never as markup.
 */
@Path("/console")
@Blocking
public class ConsoleResource {

    static final int DEAD_LETTER_PAGE = 50;

    @Inject
    ConsoleAccess access;

    @Inject
    LeadStore store;

    @Inject
    LeadTimeline timeline;

    @Inject
    LeadUpdateReader reader;

    @Inject
    StageCatalog catalog;

    @Inject
    CatalogSources sources;

    @Inject
    Leadership leadership;

    @Inject
    RouteFilesResource routeFiles;

    @Inject
    DeliveryHistory history;

    @Inject
    SyncFlows syncFlows;

    @Inject
    WebhookEvents webhookEvents;

    @Inject
    EtlResource etl;

    @Inject
    DeadLettersResource deadLetters;

    @Inject
    ObjectMapper json;

    @Inject
    HttpServerRequest request;

    /** What every page shows around its own content: its title, the current nav entry and the form token. */
    public record Page(String title, String nav, String csrf, boolean keyed, String notice) {
    }

    public record Count(String target, long pending, long deliveredHour, long skippedHour, long deadHour,
            long deliveredDay, long skippedDay, long deadDay) {
    }

    public record Overview(List<SourceStatus> sources, List<Count> counts, DeliveryHistory.Chart chart,
            List<FlowState> flows, boolean leader, String replica, String leaderReplica,
            List<RouteFilesResource.RouteFile> rejected) {
    }

    /** A sync flow and the latest change carried from its source (null before the first). */
    public record FlowState(String flow, WebhookEvent lastCarried) {
    }

    public record Letters(List<DeadLetter> letters, List<String> targets, List<String> reasons, String target,
            String reason, String since, String next, String query) {
    }

    public record SourceStages(SourceStatus status, List<Stage> stages) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance overview(Page page, Overview overview);

        static native TemplateInstance signIn(Page page, String error);

        static native TemplateInstance lead(Page page, String q, LeadTimeline.Page timeline, String error);

        static native TemplateInstance deadLetters(Page page, Letters list);

        static native TemplateInstance deadLetter(Page page, DeadLetter letter, String text, String error);

        static native TemplateInstance stages(Page page, List<SourceStages> sources, List<StageChange> changes);

        static native TemplateInstance routes(Page page, List<RouteFilesResource.RouteFile> files);

        static native TemplateInstance etl(Page page, List<io.leadsync.etl.EtlRun> runs, List<String> jobs);

        static native TemplateInstance problem(Page page, String message);
    }

    // ---- pages

    @GET
    @Path("/")
    public Response overview(@CookieParam(ConsoleAccess.SESSION) String session,
            @CookieParam(ConsoleAccess.CSRF) String csrf, @QueryParam("notice") String notice) {
        if (!request.path().endsWith("/")) { // JAX-RS takes /console for /console/; the relative links do not
            return found("console/").build();
        }
        return page(session, csrf, "Overview", "overview", notice, page -> {
            Instant now = Instant.now();
            List<String> targets = targets();
            Map<String, Map<Receipt.Status, Long>> hour = store.counts(targets, now.minus(Duration.ofHours(1)));
            Map<String, Map<Receipt.Status, Long>> day = store.counts(targets, now.minus(Duration.ofDays(1)));
            List<Count> counts = new ArrayList<>();
            java.util.Set<String> shown = new java.util.TreeSet<>(targets);
            shown.addAll(day.keySet()); // updates pending for a target no longer configured
            for (String target : shown) {
                Map<Receipt.Status, Long> h = hour.getOrDefault(target, Map.of());
                Map<Receipt.Status, Long> d = day.getOrDefault(target, Map.of());
                long deadHour = store.deadLetterCount(target, now.minus(Duration.ofHours(1)));
                long deadDay = store.deadLetterCount(target, now.minus(Duration.ofDays(1)));
                if (!d.isEmpty() || deadDay > 0) {
                    counts.add(new Count(target, d.getOrDefault(Receipt.Status.PENDING, 0L),
                            h.getOrDefault(Receipt.Status.DELIVERED, 0L), h.getOrDefault(Receipt.Status.SKIPPED, 0L), deadHour,
                            d.getOrDefault(Receipt.Status.DELIVERED, 0L), d.getOrDefault(Receipt.Status.SKIPPED, 0L), deadDay));
                }
            }
            List<RouteFilesResource.RouteFile> rejected = routeFiles.files().files().stream()
                    .filter(f -> f.state() == RouteFileStates.State.REJECTED).toList();
            List<FlowState> flows = syncFlows.flows().stream()
                    .map(f -> new FlowState(f.toString(), webhookEvents.lastCarried(f.source()).orElse(null))).toList();
            return Templates.overview(page, new Overview(catalog.statuses(null), counts, history.chart(), flows,
                    leadership.isLeader(), leadership.id(), leadership.leader().orElse(null), rejected));
        });
    }

    @GET
    @Path("/lead")
    public Response lead(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf,
            @QueryParam("q") String q, @QueryParam("before") String before) {
        return page(session, csrf, "Lead", "lead", null, page -> {
            if (q == null || q.isBlank()) {
                return Templates.lead(page, "", null, null);
            }
            try {
                return Templates.lead(page, q, timeline.find(q, before), null);
            } catch (LeadTimeline.NotALead e) {
                return Templates.lead(page, q, null, e.getMessage());
            }
        });
    }

    @GET
    @Path("/dead-letters")
    public Response deadLetters(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf,
            @QueryParam("target") String target, @QueryParam("reason") String reason, @QueryParam("since") String since,
            @QueryParam("after") String after, @QueryParam("notice") String notice) {
        return page(session, csrf, "Dead letters", "dead-letters", notice, page -> {
            String wantedTarget = blank(target) ? null : target;
            DeadLetter.Reason wantedReason = blank(reason) ? null : reason(reason);
            Duration window = blank(since) ? null : sinceWindow(since);
            String from = window == null ? null : TimeOrderedIds.first(Instant.now().minus(window));
            String cursor = blank(after) ? from : (from == null || after.compareTo(from) > 0 ? after : from);
            List<DeadLetter> letters = store.deadLetters(wantedTarget, wantedReason, cursor, DEAD_LETTER_PAGE);
            String next = letters.size() == DEAD_LETTER_PAGE ? letters.get(letters.size() - 1).id() : null;
            List<String> targets = targets();
            String query = "target=" + encode(wantedTarget) + "&reason=" + encode(reason) + "&since=" + encode(since);
            return Templates.deadLetters(page, new Letters(letters, targets,
                    Arrays.stream(DeadLetter.Reason.values()).map(Enum::name).toList(), wantedTarget, reason, since, next, query));
        });
    }

    @GET
    @Path("/dead-letter")
    public Response deadLetter(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf,
            @QueryParam("id") String id) {
        return page(session, csrf, "Dead letter", "dead-letters", null, page -> {
            DeadLetter letter = letter(id);
            return Templates.deadLetter(page, letter, letter.update() == null ? letter.raw() : text(letter.update()), null);
        });
    }

    @GET
    @Path("/stages")
    public Response stages(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf) {
        return page(session, csrf, "Stages", "stages", null, page -> Templates.stages(page,
                catalog.statuses(null).stream().map(s -> new SourceStages(s, catalog.stages(s.source(), null))).toList(),
                catalog.changes(null)));
    }

    @GET
    @Path("/routes")
    public Response routes(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf) {
        return page(session, csrf, "Routes", "routes", null, page -> Templates.routes(page, routeFiles.files().files()));
    }

    @GET
    @Path("/etl")
    public Response etl(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf,
            @QueryParam("notice") String notice) {
        return page(session, csrf, "ETL", "etl", notice, page -> Templates.etl(page, etl.runs("50", null).runs(), etl.jobs()));
    }

    @GET
    @Path("/console.css")
    @Produces("text/css")
    public Response css() throws IOException {
        try (InputStream css = ConsoleResource.class.getResourceAsStream("/console/console.css")) {
            return Response.ok(css.readAllBytes()).header("Cache-Control", "max-age=3600").build();
        }
    }

    // ---- signing in

    @GET
    @Path("/sign-in")
    public Response signInPage(@CookieParam(ConsoleAccess.CSRF) String csrf) {
        if (!access.keyed()) {
            return found("./").build();
        }
        return render(Status.OK, csrf, token -> Templates.signIn(new Page("Sign in", "", token, true, null), null));
    }

    @POST
    @Path("/sign-in")
    public Response signIn(@CookieParam(ConsoleAccess.CSRF) String csrf, @FormParam("csrf") String form, @FormParam("key") String key) {
        if (!ConsoleAccess.sameToken(csrf, form)) {
            return render(Status.FORBIDDEN, csrf, token -> Templates.signIn(new Page("Sign in", "", token, true, null),
                    "The form had expired: sign in again."));
        }
        if (!access.isKey(key)) {
            return render(Status.UNAUTHORIZED, csrf, token -> Templates.signIn(new Page("Sign in", "", token, true, null),
                    "That is not leadsync's API key."));
        }
        return found("./").cookie(access.session(https())).build();
    }

    @POST
    @Path("/sign-out")
    public Response signOut(@CookieParam(ConsoleAccess.CSRF) String csrf, @FormParam("csrf") String form) {
        if (!ConsoleAccess.sameToken(csrf, form)) {
            return forbidden(csrf);
        }
        return found("sign-in").cookie(access.signOut(https())).build();
    }

    // ---- changes

    /** Replays a dead letter, with its update as edited on the page (checked as strictly as POST /leads). */
    @POST
    @Path("/replay")
    public Response replay(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf,
            @FormParam("csrf") String form, @FormParam("id") String id, @FormParam("update") String text) {
        return change(session, csrf, form, () -> {
            DeadLetter letter = letter(id);
            LeadUpdate edited;
            try {
                edited = reader.read(text == null ? "" : text);
            } catch (InvalidUpdateException e) {
                return render(Status.BAD_REQUEST, csrf, token -> Templates.deadLetter(new Page("Dead letter", "dead-letters",
                        token, access.keyed(), null), letter, text, e.getMessage()));
            }
            String replayed = store.replay(new DeadLetter(letter.id(), letter.updateId(), edited.target(), letter.reason(),
                    letter.httpStatus(), letter.attempts(), letter.failedAt(), letter.error(), edited, letter.origin(),
                    letter.raw()));
            if (replayed == null) {
                return found("dead-letters?notice=" + encode("That dead letter was replayed or deleted meanwhile.")).build();
            }
            return found("lead?q=" + replayed).build();
        });
    }

    @POST
    @Path("/replay-all")
    public Response replayAll(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf,
            @FormParam("csrf") String form, @FormParam("target") String target, @FormParam("reason") String reason) {
        return change(session, csrf, form, () -> {
            int replayed = store.replayAll(blank(target) ? null : target, blank(reason) ? null : reason(reason)).size();
            return found("dead-letters?notice=" + encode("Replayed " + replayed + " dead letter(s).")).build();
        });
    }

    @POST
    @Path("/delete")
    public Response delete(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf,
            @FormParam("csrf") String form, @FormParam("id") String id) {
        return change(session, csrf, form, () -> {
            String notice = store.deleteDeadLetter(id) ? "Deleted dead letter " + id + "." : "No dead letter " + id + " to delete.";
            return found("dead-letters?notice=" + encode(notice)).build();
        });
    }

    @POST
    @Path("/run")
    public Response run(@CookieParam(ConsoleAccess.SESSION) String session, @CookieParam(ConsoleAccess.CSRF) String csrf,
            @FormParam("csrf") String form, @FormParam("job") String job) {
        return change(session, csrf, form, () -> {
            String notice;
            try {
                EtlResource.Started started = (EtlResource.Started) etl.run(job, null).getEntity();
                notice = "Started " + started.job() + " (run " + started.id() + ").";
            } catch (ProblemException e) {
                notice = "Not started: " + e.getMessage();
            }
            return found("etl?notice=" + encode(notice)).build();
        });
    }

    // ---- how every page and change is answered

    private interface Render {
        TemplateInstance render(Page page);
    }

    private interface Change {
        Response apply();
    }

    /** A page for a signed-in user (else the sign-in page), with the form token and its cookie when new. */
    private Response page(String session, String csrf, String title, String nav, String notice, Render content) {
        if (!access.signedIn(session)) {
            return found("sign-in").build();
        }
        try {
            return render(Status.OK, csrf, token -> content.render(new Page(title, nav, token, access.keyed(), notice)));
        } catch (ProblemException e) {
            return render(e.status(), csrf, token -> Templates.problem(new Page(title, nav, token, access.keyed(), null), e.getMessage()));
        }
    }

    /** A POST from a signed-in user's console page (the form token matches), else 403 and nothing done. */
    private Response change(String session, String csrf, String form, Change change) {
        if (!access.signedIn(session) || !ConsoleAccess.sameToken(csrf, form)) {
            return forbidden(csrf);
        }
        try {
            return change.apply();
        } catch (ProblemException e) {
            return render(e.status(), csrf, token -> Templates.problem(new Page("Not done", "", token, access.keyed(), null), e.getMessage()));
        }
    }

    private Response forbidden(String csrf) {
        return render(Status.FORBIDDEN, csrf, token -> Templates.problem(new Page("Not allowed", "", token, access.keyed(), null),
                "This change was refused: it did not come from a signed-in console page. Open the page again and retry."));
    }

    private interface Content {
        TemplateInstance with(String token);
    }

    private Response render(Status status, String csrf, Content content) {
        NewCookie fresh = csrf == null || csrf.isEmpty() ? access.csrf(https()) : null;
        Response.ResponseBuilder answer = Response.status(status)
                .entity(content.with(fresh == null ? csrf : fresh.getValue()))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
        return (fresh == null ? answer : answer.cookie(fresh)).build();
    }

    /** 303 to a place relative to the console's directory: RESTEasy would make a URI absolute, and lose a proxy's prefix. */
    private static Response.ResponseBuilder found(String relative) {
        return Response.status(Status.SEE_OTHER).header("Location", relative);
    }

    /** Every source, enabled or not: the targets updates and dead letters can have. */
    /**
     * Whether the browser reached leadsync over HTTPS: directly, or through a proxy that says so in X-Forwarded-Proto
     * or Forwarded when quarkus.http.proxy.proxy-address-forwarding is on. The console's cookies are Secure then.
     */
    private boolean https() {
        return request.isSSL() || "https".equalsIgnoreCase(request.scheme());
    }

    private List<String> targets() {
        List<String> targets = new ArrayList<>(sources.enabled());
        targets.addAll(sources.disabled());
        return targets;
    }

    private DeadLetter letter(String id) {
        return deadLetters.one(id);
    }

    private String text(LeadUpdate update) {
        try {
            ObjectWriter writer = json.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL).writerWithDefaultPrettyPrinter();
            return writer.writeValueAsString(update);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DeadLetter.Reason reason(String reason) {
        try {
            return DeadLetter.Reason.valueOf(reason);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Status.BAD_REQUEST, "unknown reason '" + reason + "'; the reasons are "
                    + Arrays.toString(DeadLetter.Reason.values()));
        }
    }

    private static Duration sinceWindow(String since) {
        return switch (since) {
            case "1h" -> Duration.ofHours(1);
            case "1d" -> Duration.ofDays(1);
            case "7d" -> Duration.ofDays(7);
            default -> throw new ProblemException(Status.BAD_REQUEST, "since must be 1h, 1d or 7d, not '" + since + "'");
        };
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String encode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
