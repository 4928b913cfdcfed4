package io.leadsync.api;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * JAX-RS ignores a query parameter the operation does not declare ({@code ?activ=true} is then no filter
 * at all), silently takes the first of a repeated one and makes an empty one absent: each is a 400 here, naming
 * the parameter and what the operation takes. The sandbox (fake CRMs) is not leadsync's API, and the console's
 * pages take what a browser's forms send (an empty filter is "any"; io.leadsync.console reads its own parameters).
 */
public class StrictQueryParams {

    private static final Set<String> EXEMPT = Set.of("io.leadsync.sandbox", "io.leadsync.console");

    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || EXEMPT.contains(resource.getResourceClass().getPackageName())) {
            return Optional.empty();
        }
        Set<String> allowed = declared.computeIfAbsent(method, StrictQueryParams::queryParams);
        for (Map.Entry<String, List<String>> param : request.getUriInfo().getQueryParameters().entrySet()) {
            String problem = !allowed.contains(param.getKey())
                    ? "query parameter '" + param.getKey() + "' is not one this operation takes; it takes "
                            + (allowed.isEmpty() ? "none" : allowed)
                    : param.getValue().size() > 1
                            ? "query parameter '" + param.getKey() + "' is given " + param.getValue().size() + " times: give it once"
                            // JAX-RS hands an operation ?active= as no parameter at all
                            : param.getValue().get(0).isEmpty()
                                    ? "query parameter '" + param.getKey() + "' is empty: give a value or leave it out"
                                    : null;
            if (problem != null) {
                return Optional.of(Problem.response(Response.Status.BAD_REQUEST, problem, request.getUriInfo().getPath()));
            }
        }
        return Optional.empty();
    }

    private static Set<String> queryParams(Method method) {
        return Stream.of(method.getParameters()).map(p -> p.getAnnotation(QueryParam.class)).filter(Objects::nonNull)
                .map(QueryParam::value).collect(Collectors.toCollection(TreeSet::new));
    }
}
