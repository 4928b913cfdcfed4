package io.leadsync.catalog;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.ProblemException;
import io.leadsync.model.LostReason;
import io.leadsync.model.SourceStatus;
import io.leadsync.model.Stage;
import io.leadsync.model.StageChange;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;

/** GET /stages (DESIGN §4), the recent changes, and a poll on demand. */
@Path("/stages")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class StagesResource {

    @Inject
    StageCatalog catalog;

    @Inject
    CatalogSources sources;

    @Inject
    CatalogPolls polls;

    @RegisterForReflection
    public record Stages(List<Stage> stages, List<LostReason> lostReasons, List<SourceStatus> sources) {
    }

    @RegisterForReflection
    public record Changes(List<StageChange> changes) {
    }

    @RegisterForReflection
    public record Polled(List<SourceStatus> sources) {
    }

    @GET
    public Stages stages(@QueryParam("source") String source, @QueryParam("active") String active) {
        knownSource(source);
        Boolean activeOnly = active == null ? null : switch (active) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new ProblemException(Status.BAD_REQUEST,
                    "query parameter 'active' must be true or false, not '" + active + "'");
        };
        return new Stages(catalog.stages(source, activeOnly), catalog.lostReasons(source, activeOnly),
                catalog.statuses(source));
    }

    @GET
    @Path("/changes")
    public Changes changes(@QueryParam("source") String source) {
        knownSource(source);
        return new Changes(catalog.changes(source));
    }

    /** Polls the named source (or every enabled one) now, through the same routes as the timers. */
    @POST
    @Path("/refresh")
    public Polled refresh(@QueryParam("source") String source) {
        knownSource(source);
        List<String> polled = polls.pollNow(source);
        if (polled.isEmpty() && source == null) {
            throw new ProblemException(Status.CONFLICT, "no source is enabled: see the configuration table in the README");
        }
        if (polled.isEmpty()) {
            throw new ProblemException(Status.CONFLICT, "source '" + source + "' is not enabled: "
                    + sources.howToEnable(source) + " (an explicit leadsync.<crm>.enabled=false also switches it off)");
        }
        return new Polled(catalog.statuses(source).stream().filter(s -> polled.contains(s.source())).toList());
    }

    private void knownSource(String source) {
        if (source == null) {
            return;
        }
        List<String> known = new ArrayList<>(sources.enabled());
        known.addAll(sources.disabled());
        if (known.stream().noneMatch(name -> StageCatalog.matches(source, name))) {
            throw new ProblemException(Status.BAD_REQUEST,
                    "query parameter 'source': unknown source '" + source + "'; known sources: " + known);
        }
    }
}
