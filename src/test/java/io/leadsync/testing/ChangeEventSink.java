package io.leadsync.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.camel.builder.RouteBuilder;

/** The change-events endpoint of the tests (leadsync.stages.changes-uri): keeps every event's JSON. */
@ApplicationScoped
public class ChangeEventSink extends RouteBuilder {

    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public void configure() {
        from("direct:test-stage-changes").routeId("test-stage-changes")
                .process(exchange -> EVENTS.add(exchange.getMessage().getBody(String.class)));
    }
}
