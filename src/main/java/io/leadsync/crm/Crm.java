package io.leadsync.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.leadsync.config.ConfigProblems;
import io.leadsync.config.ConfigRule;
import io.leadsync.config.Mappings;

/**
 * One CRM, as the shared code knows it: each CRM's package has one ({@code io.leadsync.crm.telecrm.Telecrm} …), and
 * {@link Crms} lists them. Its {@code name} is its sources' name and the prefix of its keys, beans, routes and route
 * files. It is also the {@link ConfigRule} of its own keys, a mapping of its package; {@link CrmConfigCheck} runs it.
 */
public interface Crm extends ConfigRule {

    /** Its sources' name: {@code telecrm}. */
    String name();

    /** How people write it: {@code TeleCRM}. */
    String title();

    /** The keys that enable it once all are set ({@link SourceSwitches} derives {@code leadsync.<name>.enabled}). */
    List<String> credentials();

    /** Its {@code leadsync.<name>.*} keys every CRM has. */
    CrmKeys keys(Mappings config);

    /** Checks its own keys beyond those every CRM has ({@link CrmConfigCheck} checks those). */
    @Override
    default void check(Mappings config, ConfigProblems problems) {
    }

    /**
     * A CRM reached through several accounts has one source per account, {@code <name>:<account>}: the key listing
     * them. Null for a CRM of one.
     */
    default String accountsKey() {
        return null;
    }

    /** The accounts as configured under {@link #accountsKey()}. */
    default List<String> configuredAccounts(Mappings config) {
        return List.of();
    }

    /**
     * Whether it reports its leads' changes to {@code POST /webhooks/<name>} (its resource is in its package), with
     * {@link #webhookSecret}; else leadsync finds its changes by walking its leads (a sync.WalkedSource of its package).
     */
    default boolean sendsWebhooks() {
        return false;
    }

    /** The secret its webhooks are checked with. */
    default Optional<String> webhookSecret(Mappings config) {
        return Optional.empty();
    }

    /** A lead is found and written by its phone alone (an upsert): an update for it needs a phone. */
    default boolean upsertsByPhone() {
        return false;
    }

    /** A lead update may carry actions (timeline entries) for it. */
    default boolean takesActions() {
        return false;
    }

    /** Its upserts name a stage by its title: two stages of one title make that title unusable. */
    default boolean upsertsByStageTitle() {
        return false;
    }

    /** It has an ETL job {@code <name>-leads} (route {@code direct:etl-<name>-leads}) exporting its leads. */
    default boolean exportsLeads() {
        return false;
    }

    /**
     * The routes readiness requires running while it is enabled: its stage poll, delivery and call routes, and in a
     * service (not run-once) its poll's timer and delivery route.
     */
    default List<String> requiredRoutes(boolean service) {
        List<String> routes = new ArrayList<>(List.of(name() + "-stages", name() + "-deliver", name() + "-call"));
        if (service) {
            routes.addAll(List.of(name() + "-stages-timer", name() + "-lead-delivery"));
        }
        return routes;
    }

    /** What its operator sets to enable it. */
    default String howToEnable() {
        return "set " + String.join(" and ", credentials());
    }

    /** Whether it is enabled: its credentials are set, and it is not switched off. */
    default boolean enabled(Mappings config) {
        return keys(config).enabled();
    }

    /** Whether its sources are {@code <name>:<account>}, one per account. */
    default boolean hasAccounts() {
        return accountsKey() != null;
    }

    /** Its configured accounts, trimmed, without blanks or repeats (none for a CRM of one account). */
    default List<String> accounts(Mappings config) {
        return configuredAccounts(config).stream().map(String::trim).filter(a -> !a.isEmpty()).distinct().toList();
    }

    /** Its polled sources when enabled: its name, or {@code <name>:<account>} per account. */
    default List<String> sources(Mappings config) {
        return hasAccounts() ? accounts(config).stream().map(a -> name() + ":" + a).toList() : List.of(name());
    }

    /** How its sources are written: {@code <name>}, or {@code <name>:<account>}. */
    default String sourceShape() {
        return hasAccounts() ? name() + ":<account>" : name();
    }

    /** Whether a source name is one of this CRM's shape (whatever the account). */
    default boolean shapes(String source) {
        return hasAccounts() ? source.startsWith(name() + ":") && source.length() > name().length() + 1
                : source.equals(name());
    }
}
