package io.leadsync;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The plan of the house, read from the sources (src/main/java, no app start): no two packages depend on each other
 * however indirectly (a loop means neither can be understood, tested or moved without the other), and the ground
 * floor, {@code io.leadsync.config}, depends on no other leadsync package (every feature reads its keys; config
 * knows no feature), and each CRM's package, {@code io.leadsync.crm.<name>}, is a leaf: no other package (shared code
 * or another CRM) uses it, so shared code reaches a CRM only through bean names, route files and interfaces. Shared
 * code does not even name a CRM, in its identifiers and literals or in a shared route file (comments may), and every
 * CRM's package is one entry of the one list of CRMs: a fourth CRM is a package of its own, its route files and one
 * line in that list (docs/adding-a-crm.md). A dependency is any mention of a class of another package outside
 * comments and strings: an import, a static import, or a fully qualified name in the code.
 */
class PackageDependenciesTest {

    static final Path SOURCES = Path.of("src", "main", "java");
    static final Path CRM_PACKAGES = SOURCES.resolve(Path.of("io", "leadsync", "crm"));
    static final Path ROUTES = Path.of("routes");
    /** The one list of CRMs: each CRM's {@code io.leadsync.crm.Crm}, by class name. */
    static final Path CRM_LIST = Path.of("src", "main", "resources", "META-INF", "services", "io.leadsync.crm.Crm");
    static final String GROUND_FLOOR = "io.leadsync.config";
    static final String CRMS = "io.leadsync.crm.";

    /**
     * Packages allowed to use a CRM's package, each with why: none. A shared class that genuinely needs one CRM's class
     * is listed here as {@code "io.leadsync.x -> io.leadsync.crm.y"} with a comment saying why.
     */
    static final Set<String> CRM_EXCEPTIONS = Set.of();

    /** The CRM a package belongs to ({@code io.leadsync.crm.truto} and below: truto), or null for shared code. */
    static String crmOf(String pkg) {
        return pkg.startsWith(CRMS) ? pkg.substring(CRMS.length()).split("\\.", 2)[0] : null;
    }

    /** {@code io.leadsync.<lower-case segments>} followed by a class name or {@code .*}: the segments are the package. */
    static final Pattern REFERENCE = Pattern.compile("\\bio\\.leadsync((?:\\s*\\.\\s*[a-z_][a-z0-9_]*)*)\\s*\\.\\s*([A-Z]\\w*|\\*)");
    static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    /** Package to the packages it uses, each with the files and classes that make it so. */
    static Map<String, Map<String, Set<String>>> dependencies() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String code;
            try {
                code = code(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher declared = PACKAGE.matcher(code);
            if (!declared.find() || !declared.group(1).startsWith("io.leadsync")) {
                continue;
            }
            String from = declared.group(1);
            Map<String, Set<String>> uses = graph.computeIfAbsent(from, p -> new TreeMap<>());
            Matcher reference = REFERENCE.matcher(code.substring(declared.end()));
            while (reference.find()) {
                String to = ("io.leadsync" + reference.group(1)).replaceAll("\\s+", "");
                if (!to.equals(from)) {
                    uses.computeIfAbsent(to, p -> new TreeSet<>()).add(file.getFileName() + " -> " + reference.group(2));
                }
            }
        }
        return graph;
    }

    /** The source without its comments and the contents of its string, text-block and char literals. */
    static String code(String source) {
        return code(source, false);
    }

    /** The source without its comments; {@code literals}: with its literals as written, else emptied. */
    static String code(String source, boolean literals) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                String comment = source.substring(i, end < 0 ? n : end + 2);
                i = end < 0 ? n : end + 2;
                code.append(comment.contains("\n") ? comment.replaceAll("[^\n]", "") : " "); // keeps the line numbers
            } else if (source.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !(source.startsWith("\"\"\"", end) && source.charAt(end - 1) != '\\')) {
                    end++;
                }
                code.append(literals ? source.substring(i, Math.min(n, end + 3)) : "\"\"");
                i = Math.min(n, end + 3);
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                code.append(literals ? source.substring(i, Math.min(n, end + 1)) : "" + c + c);
                i = Math.min(n, end + 1);
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }

    /** The groups of two or more packages that each reach the others (strongly connected components, Tarjan). */
    static List<Set<String>> loops(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> loops = new ArrayList<>();
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, graph, index, low, stack, onStack, loops);
            }
        }
        return loops;
    }

    private static void connect(String node, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> loops) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, loops);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                loops.add(component);
            }
        }
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Map<String, Set<String>>> graph = dependencies();
        assertThat("packages read from " + SOURCES.toAbsolutePath(), graph.size(), greaterThan(10));
        List<String> found = new ArrayList<>();
        for (Set<String> loop : loops(graph)) {
            StringBuilder why = new StringBuilder("a loop between " + loop + ":");
            for (String from : loop) {
                graph.get(from).forEach((to, uses) -> {
                    if (loop.contains(to)) {
                        why.append("\n    ").append(from).append(" -> ").append(to).append(": ").append(uses);
                    }
                });
            }
            found.add(why.toString());
        }
        assertThat(String.join("\n", found), found, is(empty()));
    }

    @Test
    void theGroundFloorUsesNoFeature() {
        Map<String, Set<String>> uses = dependencies().get(GROUND_FLOOR);
        assertThat(GROUND_FLOOR + " is read", uses == null, is(false));
        assertThat(GROUND_FLOOR + " uses " + uses.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("; ")), uses.keySet(), is(empty()));
    }

    @Test
    void noPackageOutsideACrmUsesIt() {
        Map<String, Map<String, Set<String>>> graph = dependencies();
        assertThat("CRM packages read from " + SOURCES.toAbsolutePath(),
                graph.keySet().stream().filter(p -> crmOf(p) != null).count(), greaterThan(2L));
        List<String> found = new ArrayList<>();
        graph.forEach((from, uses) -> uses.forEach((to, why) -> {
            String crm = crmOf(to);
            if (crm != null && !crm.equals(crmOf(from)) && !CRM_EXCEPTIONS.contains(from + " -> " + to)) {
                found.add(from + " -> " + to + ": " + why);
            }
        }));
        assertThat("a CRM's package is used only by itself:\n    " + String.join("\n    ", found), found, is(empty()));
    }

    /** The CRMs, by their packages' names: io.leadsync.crm.&lt;name&gt;. */
    static List<String> crms() {
        try (Stream<Path> dirs = Files.list(CRM_PACKAGES)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each line of {@code text} that names a CRM, whatever the case (TeleCRM, telecrmLeads, "truto:acc"). */
    static List<String> linesNamingACrm(String where, String text, List<String> crms) {
        Pattern named = Pattern.compile(String.join("|", crms.stream().map(Pattern::quote).toList()), Pattern.CASE_INSENSITIVE);
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (named.matcher(lines[i]).find()) {
                found.add(where + ":" + (i + 1) + ": " + lines[i].strip());
            }
        }
        return found;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void sharedCodeNamesNoCrm() {
        List<String> crms = crms();
        assertThat("CRM packages under " + CRM_PACKAGES.toAbsolutePath(), crms.size(), greaterThan(2));
        List<String> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : walk.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String code = code(read(file), true); // identifiers and literals, not comments
                Matcher declared = PACKAGE.matcher(code);
                if (declared.find() && crmOf(declared.group(1)) == null) {
                    found.addAll(linesNamingACrm(file.toString(), code, crms));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat("shared code names a CRM: what it knows of one belongs in io.leadsync.crm.<name>, reached through"
                + " io.leadsync.crm.Crm (docs/adding-a-crm.md):\n    " + String.join("\n    ", found), found, is(empty()));
    }

    @Test
    void sharedRouteFilesNameNoCrm() {
        List<String> crms = crms();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (crms.stream().noneMatch(crm -> name.startsWith(crm + "-"))) {
                    // YAML comments: from a # at the start of a line or after a blank
                    found.addAll(linesNamingACrm(file.toString(), read(file).replaceAll("(?m)(^|[ \\t])#.*$", ""), crms));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat("a shared route file names a CRM: its routes belong in routes/<crm>-*.yaml:\n    "
                + String.join("\n    ", found), found, is(empty()));
    }

    @Test
    void everyCrmIsOneEntryOfTheList() {
        assertThat("the list " + CRM_LIST, Files.exists(CRM_LIST), is(true));
        List<String> listed = read(CRM_LIST).lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty())
                .map(entry -> crmOf(entry.substring(0, entry.lastIndexOf('.')))).sorted().toList();
        assertThat(listed, is(crms()));
    }

    @Test
    void readsCrmNamesInCodeNotInComments() {
        String code = code("package io.leadsync.a;\n// telecrm\n/* Superfone\n */ class A {\n String s = \"truto:x\";"
                + " int telecrmLeads; }", true);
        assertThat(linesNamingACrm("A.java", code, List.of("telecrm", "superfone", "truto")),
                is(List.of("A.java:5: String s = \"truto:x\"; int telecrmLeads; }")));
    }

    @Test
    void knowsWhichPackagesAreACrms() {
        assertThat(crmOf("io.leadsync.crm.truto"), is("truto"));
        assertThat(crmOf("io.leadsync.crm.truto.fake"), is("truto"));
        assertThat(crmOf("io.leadsync.crm"), is((String) null));
        assertThat(crmOf("io.leadsync.catalog"), is((String) null));
    }

    @Test
    void readsReferencesNotCommentsOrStrings() {
        String code = code("package io.leadsync.a;\nimport io.leadsync.b.B;\n// io.leadsync.c.C\n/* io.leadsync.d.D */\n"
                + "class A { String s = \"io.leadsync.e.E // \\\" io.leadsync.f.F\"; char q = '\"'; io.leadsync.g.G g;"
                + " String t = \"\"\"\n io.leadsync.h.H \"\"\"; static { io.leadsync.i.I.run(); } }");
        Matcher reference = REFERENCE.matcher(code);
        List<String> found = new ArrayList<>();
        while (reference.find()) {
            found.add(reference.group(1) + "." + reference.group(2));
        }
        assertThat(found, is(List.of(".b.B", ".g.G", ".i.I")));
    }
}
