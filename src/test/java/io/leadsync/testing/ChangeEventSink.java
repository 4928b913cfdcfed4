package io.leadsync.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

/** The change-events endpoints of the tests (leadsync.stages.changes-uri, leadsync.leads.changes-uri): keep every event's JSON. */
@ApplicationScoped
public class ChangeEventSink extends RouteBuilder {

    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    /** The lead change events (leadsync.leads.changes-uri=direct:test-lead-changes). */
    public static final List<String> LEAD_CHANGES = new CopyOnWriteArrayList<>();

    @Override
    public void configure() {
        from("direct:test-stage-changes").routeId("test-stage-changes")
                .process(exchange -> EVENTS.add(exchange.getMessage().getBody(String.class)));
        from("direct:test-lead-changes").routeId("test-lead-changes")
                .process(exchange -> LEAD_CHANGES.add(exchange.getMessage().getBody(String.class)));
    }
}
