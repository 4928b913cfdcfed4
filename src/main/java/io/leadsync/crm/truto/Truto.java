package io.leadsync.crm.truto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.DurationKey;
import io.leadsync.config.Mappings;
import io.leadsync.crm.Crm;
import io.leadsync.crm.CrmKeys;
import io.leadsync.model.StageCategory;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Truto in the list of CRMs (io.leadsync.crm.Crms): one source per integrated account, {@code truto:<account>}. It
 * reports its leads' changes to POST /webhooks/truto ({@link TrutoWebhook}), and its leads are exported (ETL job
 * truto-leads). Every call of its leads passes its rate limit (route truto-rate-limit).
 */
@RegisterForReflection // loaded by name, from META-INF/services/io.leadsync.crm.Crm
public class Truto implements Crm {

    @Override
    public String name() {
        return TrutoStagePages.CRM;
    }

    @Override
    public String title() {
        return "Truto";
    }

    @Override
    public List<String> credentials() {
        return List.of("leadsync.truto.token", accountsKey());
    }

    @Override
    public CrmKeys keys(Mappings config) {
        return truto(config);
    }

    @Override
    public Map<Class<?>, String> mappings() {
        return Map.of(TrutoConfig.class, "leadsync");
    }

    /** Its page size and rate limit, and {@code leadsync.truto.categories}, each entry as {@link TrutoStagePages} reads it. */
    @Override
    public void check(Mappings config, ConfigProblems problems) {
        problems.atLeast("leadsync.truto.page-size", truto(config).pageSize(), 1);
        problems.atLeast("leadsync.truto.rate-limit", truto(config).rateLimit(), 1);
        truto(config).categories().ifPresent(pairs -> pairs.forEach(pair -> category(problems, pair)));
        problems.cron("leadsync.etl.truto-leads.cron", config.get(TrutoConfig.class).etl().trutoLeads().cron());
    }

    /** Each entry is {@code stage name or id:OPEN|WON|LOST}. */
    private static void category(ConfigProblems problems, String pair) {
        int colon = pair.lastIndexOf(':');
        String category = colon < 0 ? "" : pair.substring(colon + 1).strip().toUpperCase(Locale.ROOT);
        Set<String> known = Arrays.stream(StageCategory.values()).map(Enum::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (colon <= 0 || !known.contains(category)) {
            problems.add("leadsync.truto.categories", pair, "each entry must be 'stage name or id:" + String.join("|", known) + "'");
        }
    }

    @Override
    @SuppressWarnings("deprecation") // the -ms key, read only to tell which key set the time
    public List<DurationKey> durationKeys() {
        return List.of(new DurationKey("leadsync.truto.rate-period", 1, c -> truto(c).ratePeriod(),
                c -> truto(c).ratePeriodMs()));
    }

    @Override
    public List<Optional<String>> secrets(Mappings config) {
        return List.of(truto(config).token(), truto(config).webhookSecret());
    }

    @Override
    public String accountsKey() {
        return "leadsync.truto.integrated-account-ids";
    }

    @Override
    public List<String> configuredAccounts(Mappings config) {
        return truto(config).integratedAccountIds().orElse(List.of());
    }

    @Override
    public boolean sendsWebhooks() {
        return true;
    }

    @Override
    public Optional<String> webhookSecret(Mappings config) {
        return truto(config).webhookSecret();
    }

    @Override
    public boolean exportsLeads() {
        return true;
    }

    @Override
    public List<String> requiredRoutes(boolean service) {
        List<String> routes = new ArrayList<>(Crm.super.requiredRoutes(service));
        routes.add("truto-rate-limit"); // every Truto lead call passes it
        return routes;
    }

    private static TrutoConfig.Keys truto(Mappings config) {
        return config.get(TrutoConfig.class).truto();
    }
}
