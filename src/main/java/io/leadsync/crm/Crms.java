package io.leadsync.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The CRMs leadsync knows, listed in one place: {@code META-INF/services/io.leadsync.crm.Crm}, one line per CRM naming
 * its {@link Crm} (docs/adding-a-crm.md), in the order messages name them. Everything else about a CRM lives in its
 * package, io.leadsync.crm.&lt;name&gt;, and its route files (routes/&lt;name&gt;-*.yaml); shared code that must go
 * over every CRM (the catalog's sources, the sync flows' checks, the API's parameters, the webhooks' credentials)
 * reads this list and names no CRM itself. A {@link ServiceLoader} list, not CDI: the configuration is derived and
 * checked with it ({@link SourceSwitches}, {@link CrmConfigCheck}) before any bean exists.
 */
public final class Crms {

    /** Every CRM. */
    public static final List<Crm> ALL = load();

    /** The CRMs by name. */
    public static final List<String> NAMES = ALL.stream().map(Crm::name).toList();

    /** A source as the API takes it: a CRM of one account by name, else {@code <name>:<account>}. */
    public static final Pattern SOURCE = Pattern.compile(ALL.stream()
            .map(crm -> crm.hasAccounts() ? Pattern.quote(crm.name()) + ":[A-Za-z0-9._-]{1,100}" : Pattern.quote(crm.name()))
            .collect(Collectors.joining("|")));

    private Crms() {
    }

    private static List<Crm> load() {
        List<Crm> crms = new ArrayList<>();
        ServiceLoader.load(Crm.class, Crm.class.getClassLoader()).forEach(crms::add);
        return List.copyOf(crms);
    }

    /** The CRM of that name. */
    public static Optional<Crm> named(String name) {
        return ALL.stream().filter(crm -> crm.name().equals(name)).findFirst();
    }

    /** The CRM of a source name ({@code <name>:acc-1} is that CRM's), if it is one of that CRM's shape. */
    public static Optional<Crm> ofSource(String source) {
        return named(source.split(":", 2)[0]).filter(crm -> crm.shapes(source));
    }

    /** The sources' shapes, for messages: "a, b or c:&lt;account&gt;" ({@code last} the last joint). */
    public static String sourceShapes(String last) {
        List<String> shapes = ALL.stream().map(Crm::sourceShape).toList();
        return shapes.size() < 2 ? String.join("", shapes)
                : String.join(", ", shapes.subList(0, shapes.size() - 1)) + last + shapes.get(shapes.size() - 1);
    }
}
