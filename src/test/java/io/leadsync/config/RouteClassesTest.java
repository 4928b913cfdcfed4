package io.leadsync.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What the native image cannot find by analysis: classes the route files name only as text. Every bean a route
 * file calls by {@code ref} (its methods are invoked by name) and every exception class an {@code onException}
 * names must be registered for reflection (a library's by {@link RouteClasses}, leadsync's own by its annotation), or
 * the native service fails at run time where the JVM one works.
 */
@QuarkusTest
class RouteClassesTest {

    @Inject
    BeanManager beans;

    @Test
    void everyClassARouteFileNamesIsRegisteredForReflection() throws IOException {
        Set<String> refs = new TreeSet<>();
        Set<String> processors = new TreeSet<>();
        Set<String> exceptions = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader in = Files.newBufferedReader(file)) {
                    for (Object document : new Load(LoadSettings.builder().build()).loadAllFromReader(in)) {
                        collect(document, null, refs, processors, exceptions);
                    }
                }
            }
        }
        assertThat("the route files name beans", refs.isEmpty(), is(false));
        assertThat("the route files name processors", processors.isEmpty(), is(false));
        assertThat("the route files name exception classes", exceptions.isEmpty(), is(false));

        List<String> unregistered = new ArrayList<>();
        for (String ref : refs) {
            Set<Bean<?>> named = beans.getBeans(ref);
            if (named.isEmpty()) {
                unregistered.add("bean '" + ref + "': no such bean");
            } else if (!named.iterator().next().getBeanClass().isAnnotationPresent(RegisterForReflection.class)) {
                unregistered.add("bean '" + ref + "' (" + named.iterator().next().getBeanClass().getName() + ")");
            }
        }
        for (String ref : processors) {
            Set<Bean<?>> named = beans.getBeans(ref);
            if (named.isEmpty() || !org.apache.camel.Processor.class.isAssignableFrom(named.iterator().next().getBeanClass())) {
                unregistered.add("error-handler ref '" + ref + "': no Processor bean of that name");
            }
        }
        List<String> registeredByName = Arrays.stream(RouteClasses.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).toList();
        for (String exception : exceptions) {
            if (!registeredByName.contains(exception) && !registeredItself(exception)) {
                unregistered.add("exception " + exception + " (annotate it @RegisterForReflection; a library's: add it to"
                        + " RouteClasses)");
            }
        }
        assertThat("not registered for reflection", unregistered, is(empty()));
        assertThat(exceptions, hasItem("io.leadsync.delivery.ServiceStoppingException"));
    }

    /** leadsync's own exceptions carry the annotation themselves: the config package names no feature. */
    private static boolean registeredItself(String className) {
        try {
            return Class.forName(className, false, RouteClassesTest.class.getClassLoader())
                    .isAnnotationPresent(RegisterForReflection.class);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Beans called by method name ({@code ref} of a bean step or method expression), processors of the error
     * handlers ({@code onRedeliveryRef}, … called through Camel's Processor interface, no reflection) and
     * {@code onException} classes, anywhere in a route file.
     */
    private static void collect(Object node, String key, Set<String> refs, Set<String> processors, Set<String> exceptions) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, String.valueOf(k), refs, processors, exceptions));
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                if ("exception".equals(key) && item instanceof String name) {
                    exceptions.add(name);
                } else {
                    collect(item, key, refs, processors, exceptions);
                }
            }
        } else if (node instanceof String value && "ref".equals(key)) {
            refs.add(value);
        } else if (node instanceof String value && key != null && key.endsWith("Ref") && !key.equals("routeTemplateRef")) {
            processors.add(value);
        }
    }
}
