package io.leadsync.catalog;

import io.leadsync.crm.CrmFailures;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.config.LeadsyncConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.leadsync.config.Secrets;
import io.leadsync.model.CatalogItem;
import io.leadsync.model.LostReason;
import io.leadsync.model.SourceStatus;
import io.leadsync.model.SourceStatus.State;
import io.leadsync.model.Stage;
import io.leadsync.model.StageChange;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

/**
 * The last good catalog of every source, what went wrong with its latest poll, and the recent
 * changes. Poll routes end in {@link #publish} or {@link #fail}; GET /stages reads from here.
 */
@Startup
@ApplicationScoped
@RegisterForReflection // the routes call its methods by name
@Named("stageCatalog")
public class StageCatalog {

    private static final Logger LOG = Logger.getLogger(StageCatalog.class);

    @Inject
    LeadsyncConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    CatalogSources sources;

    @Inject
    Secrets secrets;

    @Inject
    MeterRegistry metrics;

    @Inject
    SharedCatalogs shared;

    @Inject
    io.leadsync.cluster.Leadership leadership;

    @Inject
    CrmFailures crmFailures;

    private final Map<String, SourceCatalog> catalogs = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> attempts = new ConcurrentHashMap<>();
    private final Set<String> unsaved = ConcurrentHashMap.newKeySet();
    private final Map<String, io.micrometer.core.instrument.Gauge> gauges = new ConcurrentHashMap<>();
    private CatalogFiles files;
    private ChangeHistory history;

    /** Why a source is failing, and since when (its first failure since it was last OK). */
    private record Failure(String reason, Instant since) {
    }

    private void failed(String source, String reason, Instant now) {
        failures.merge(source, new Failure(reason, now), (before, latest) -> new Failure(latest.reason(), before.since()));
    }

    @PostConstruct
    void loadSaved() {
        files = new CatalogFiles(config.dataDir(), json);
        history = new ChangeHistory(config.stages().changeHistory());
        for (SourceCatalog saved : files.loadAll()) {
            catalogs.put(saved.source(), saved);
            LOG.infof("Loaded the saved catalog of %s: %d stages polled at %s", saved.source(), saved.stages().size(),
                    saved.polledAt());
        }
    }

    /**
     * The catalog-size gauges go with this application: a gauge left registered (Micrometer's registry can
     * outlive a restarted application in the same JVM, as in tests) would keep reading a stale map.
     */
    @jakarta.annotation.PreDestroy
    void removeGauges() {
        // Micrometer removes by id: remove only a gauge that is still this application's, never a later one's.
        gauges.values().stream().filter(gauge -> metrics.find(gauge.getId().getName()).tags(gauge.getId().getTags())
                .meters().contains(gauge)).forEach(metrics::remove);
    }

    /**
     * The source's catalog-size gauge, this application's own. Micrometer's register answers an existing meter of the
     * same id as it is, so a gauge an earlier application in this JVM left (tests restart the application with the
     * same registry) would go on reading that application's catalogs, and vanish when it is removed: replace it.
     */
    private io.micrometer.core.instrument.Gauge registerGauge(String source) {
        Tags tags = Tags.of("source", source);
        metrics.find("leadsync.stages").tags(tags).meters().forEach(metrics::remove);
        return io.micrometer.core.instrument.Gauge.builder("leadsync.stages", catalogs,
                all -> all.containsKey(source) ? all.get(source).stages().size() : 0)
                .tags(tags).strongReference(true).register(metrics);
    }

    /** Makes a completed poll the source's catalog and returns what changed since the previous one. */
    public synchronized List<StageChange> publish(@ExchangeProperty(CatalogDraft.PROPERTY) CatalogDraft draft) {
        Instant now = Instant.now();
        SourceCatalog next = draft.complete(now, secrets::redact);
        SourceCatalog previous = catalogs.get(next.source());
        List<StageChange> changes = CatalogDiff.between(previous, next, now);
        catalogs.put(next.source(), next);
        attempts.put(next.source(), now);
        failures.remove(next.source());
        history.addAll(changes);
        countPoll(next.source(), "ok");
        gauges.computeIfAbsent(next.source(), this::registerGauge);
        boolean sameWarnings = previous != null && previous.warnings().equals(next.warnings());
        if (!sameWarnings) {
            next.warnings().forEach(w -> LOG.warnf("%s catalog: %s", next.source(), w));
        }
        LOG.infof("Polled %s: %d stages, %d lost reasons, %d changes", next.source(), next.stages().size(),
                next.lostReasons().size(), changes.size());
        if (changes.isEmpty() && sameWarnings && !unsaved.contains(next.source())) {
            return changes; // the file on disk already holds this catalog
        }
        try {
            files.save(next);
            shared.save(next);
            unsaved.remove(next.source());
        } catch (IOException | java.sql.SQLException e) {
            unsaved.add(next.source());
            String reason = "polled, but could not save the catalog under " + config.dataDir() + ": " + e.getMessage();
            failed(next.source(), reason, now);
            LOG.errorf("%s: %s", next.source(), reason);
        }
        return changes;
    }

    /**
     * With PostgreSQL, on the replicas that do not lead (and so do not poll): the leader's newer catalogs,
     * every few seconds, so every replica serves GET /stages and validates updates against the same catalogs.
     */
    @io.quarkus.scheduler.Scheduled(identity = "shared-catalogs", every = "5s",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void readShared() {
        if (!shared.enabled() || leadership.isLeader()) {
            return;
        }
        try {
            for (SourceCatalog polled : shared.all()) {
                SourceCatalog known = catalogs.get(polled.source());
                if (known == null || polled.polledAt().isAfter(known.polledAt())) {
                    catalogs.put(polled.source(), polled);
                    failures.remove(polled.source());
                    LOG.infof("Read %s's catalog as the leader polled it at %s: %d stages", polled.source(),
                            polled.polledAt(), polled.stages().size());
                }
            }
        } catch (java.sql.SQLException | io.leadsync.storage.StoreUnavailableException e) {
            LOG.debugf("Reading the shared catalogs: %s", e.getMessage());
        }
    }

    /** Records why a poll failed; the last good catalog stays served. */
    public void fail(@ExchangeProperty(CatalogDraft.PROPERTY) CatalogDraft draft,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        String source = draft.source();
        String reason = crmFailures.reason(cause, source);
        Instant now = Instant.now();
        failed(source, reason, now);
        attempts.put(source, now);
        countPoll(source, "failed");
        LOG.warnf("Polling %s failed, keeping its last good catalog: %s", source, reason);
    }

    private void countPoll(String source, String outcome) {
        metrics.counter("leadsync.stage.polls", "source", source, "outcome", outcome).increment();
    }

    /** Marks a source FAILING for a reason found outside its polls (a 401 on a lead delivery). */
    public void reportFailure(String source, String reason) {
        Instant now = Instant.now();
        failed(source, secrets.redact(reason), now);
        attempts.put(source, now);
    }

    /** The last good catalog of one source, if it was ever loaded. */
    public java.util.Optional<SourceCatalog> catalog(String source) {
        return java.util.Optional.ofNullable(catalogs.get(source));
    }

    public List<Stage> stages(String source, Boolean active) {
        return items(source, active, SourceCatalog::stages);
    }

    public List<LostReason> lostReasons(String source, Boolean active) {
        return items(source, active, SourceCatalog::lostReasons);
    }

    public List<SourceStatus> statuses(String source) {
        List<SourceStatus> statuses = new ArrayList<>();
        for (String name : sources.enabled()) {
            if (!matches(source, name)) {
                continue;
            }
            SourceCatalog catalog = catalogs.get(name);
            Failure failure = failures.get(name);
            State state = failure != null ? State.FAILING : catalog != null ? State.OK : State.PENDING;
            Instant polledAt = attempts.getOrDefault(name, catalog == null ? null : catalog.polledAt());
            statuses.add(new SourceStatus(name, state, polledAt, failure == null ? null : failure.reason(),
                    failure == null ? null : failure.since(),
                    catalog == null ? 0 : catalog.stages().size(), catalog == null ? List.of() : catalog.warnings()));
        }
        for (String name : sources.disabled()) {
            if (matches(source, name)) {
                statuses.add(new SourceStatus(name, State.DISABLED, null, null, null, 0, List.of()));
            }
        }
        return statuses;
    }

    public List<StageChange> changes(String source) {
        return history.list().stream().filter(c -> matches(source, c.source())).toList();
    }

    /** Whether a source filter names a source: exactly, or by its CRM ("truto" covers every truto:&lt;account&gt;). */
    public static boolean matches(String filter, String source) {
        return filter == null || filter.equals(source) || source.startsWith(filter + ":");
    }

    private <T extends CatalogItem> List<T> items(String source, Boolean active,
            Function<SourceCatalog, List<T>> part) {
        Predicate<T> wanted = item -> active == null || item.active() == active;
        return sources.enabled().stream()
                .filter(name -> matches(source, name))
                .map(catalogs::get)
                .filter(Objects::nonNull)
                .flatMap(catalog -> part.apply(catalog).stream())
                .filter(wanted)
                .toList();
    }
}
