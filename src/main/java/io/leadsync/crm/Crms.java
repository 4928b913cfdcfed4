package io.leadsync.crm;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.leadsync.config.LeadsyncConfig;

/**
 * The CRMs leadsync knows: the one place they are listed (docs/adding-a-crm.md). Everything else about a CRM lives in
 * its package, io.leadsync.crm.&lt;name&gt;, and its route files (routes/&lt;name&gt;-*.yaml); shared code that must
 * go over every CRM (the catalog's sources, the sync flows' checks, the API's parameters, the webhooks' credentials)
 * reads this list and names no CRM itself.
 */
public final class Crms {

    /**
     * One CRM. {@code name} is its sources' name and the prefix of its keys, beans and route files; {@code title} how
     * people write it; {@code enabled} whether its credentials are set; {@code howToEnable} what its operator sets.
     * {@code accountsKey} and {@code accounts}: a CRM reached through several accounts has one source per account,
     * {@code <name>:<account>} (null for a CRM of one). {@code webhookSecret}: a CRM that reports its leads' changes
     * to {@code POST /webhooks/<name>} (its resource is in its package) with this secret; null for a CRM whose
     * changes leadsync finds by walking its leads.
     */
    public record Crm(String name, String title, Predicate<LeadsyncConfig> enabled, String howToEnable,
            String accountsKey, Function<LeadsyncConfig, List<String>> accounts,
            Function<LeadsyncConfig, Optional<String>> webhookSecret) {

        /** Whether its sources are {@code <name>:<account>}, one per account. */
        public boolean hasAccounts() {
            return accounts != null;
        }

        /** Whether it sends webhooks (else its changes are found by walking its leads). */
        public boolean sendsWebhooks() {
            return webhookSecret != null;
        }

        /** Its configured accounts, trimmed, without blanks or repeats (none for a CRM of one account). */
        public List<String> accounts(LeadsyncConfig config) {
            return accounts == null ? List.of() : accounts.apply(config).stream().map(String::trim)
                    .filter(a -> !a.isEmpty()).distinct().toList();
        }

        /** Its polled sources when enabled: its name, or {@code <name>:<account>} per account. */
        public List<String> sources(LeadsyncConfig config) {
            return hasAccounts() ? accounts(config).stream().map(a -> name + ":" + a).toList() : List.of(name);
        }

        /** How its sources are written: {@code telecrm}, {@code truto:<account>}. */
        public String sourceShape() {
            return hasAccounts() ? name + ":<account>" : name;
        }

        /** Whether a source name is one of this CRM's shape (whatever the account). */
        public boolean shapes(String source) {
            return hasAccounts() ? source.startsWith(name + ":") && source.length() > name.length() + 1
                    : source.equals(name);
        }
    }

    /** Every CRM; a fourth is one more entry here (and its package, route files and fake). */
    public static final List<Crm> ALL = List.of(
            new Crm("telecrm", "TeleCRM", c -> c.telecrm().enabled(),
                    "set leadsync.telecrm.enterprise-id and leadsync.telecrm.token", null, null, null),
            new Crm("superfone", "Superfone", c -> c.superfone().enabled(), "set leadsync.superfone.api-key",
                    null, null, c -> c.superfone().webhookSecret()),
            new Crm("truto", "Truto", c -> c.truto().enabled(),
                    "set leadsync.truto.token and leadsync.truto.integrated-account-ids",
                    "leadsync.truto.integrated-account-ids", c -> c.truto().integratedAccountIds().orElse(List.of()),
                    c -> c.truto().webhookSecret()));

    /** The CRMs by name. */
    public static final List<String> NAMES = ALL.stream().map(Crm::name).toList();

    /** A source as the API takes it: a CRM of one account by name, else {@code <name>:<account>}. */
    public static final Pattern SOURCE = Pattern.compile(ALL.stream()
            .map(crm -> crm.hasAccounts() ? Pattern.quote(crm.name()) + ":[A-Za-z0-9._-]{1,100}" : Pattern.quote(crm.name()))
            .collect(Collectors.joining("|")));

    private Crms() {
    }

    /** The CRM of that name. */
    public static Optional<Crm> named(String name) {
        return ALL.stream().filter(crm -> crm.name().equals(name)).findFirst();
    }

    /** The CRM of a source name ({@code truto:acc-1} is Truto's), if it is one of that CRM's shape. */
    public static Optional<Crm> ofSource(String source) {
        return named(source.split(":", 2)[0]).filter(crm -> crm.shapes(source));
    }

    /** The sources' shapes, for messages: "telecrm, superfone or truto:&lt;account&gt;" ({@code last} the last joint). */
    public static String sourceShapes(String last) {
        List<String> shapes = ALL.stream().map(Crm::sourceShape).toList();
        return shapes.size() < 2 ? String.join("", shapes)
                : String.join(", ", shapes.subList(0, shapes.size() - 1)) + last + shapes.get(shapes.size() - 1);
    }
}
