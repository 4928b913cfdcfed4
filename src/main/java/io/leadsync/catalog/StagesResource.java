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

import io.leadsync.api.Params;
import io.leadsync.api.ProblemException;
import io.leadsync.model.LostReason;
import io.leadsync.model.SourceStatus;
import io.leadsync.model.Stage;
import io.leadsync.model.StageChange;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** GET /stages, the recent changes, and a poll on demand. */
@Path("/stages")
@Tag(name = "Stages", description = "The stage catalogs of the CRMs, their changes, polls on demand")
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
    @Operation(summary = "Every source's stages, lost reasons and poll status")
    @APIResponse(responseCode = "200", description = "the catalogs",
            content = @Content(schema = @Schema(implementation = Stages.class)))
    @APIResponse(responseCode = "400", description = "an unknown source, or active neither true nor false")
    public Stages stages(
            @Parameter(description = "a source name, or a CRM's name for all its sources (<crm> covers every <crm>:<account>)") @QueryParam("source") String source,
            @Parameter(description = "true or false: only active or only inactive items") @QueryParam("active") String active) {
        knownSource(source);
        Boolean activeOnly = Params.bool("query parameter 'active'", active);
        return new Stages(catalog.stages(source, activeOnly), catalog.lostReasons(source, activeOnly),
                catalog.statuses(source));
    }

    @GET
    @Path("/changes")
    @Operation(summary = "The most recent change events, oldest first")
    @APIResponse(responseCode = "200", description = "the change events",
            content = @Content(schema = @Schema(implementation = Changes.class)))
    @APIResponse(responseCode = "400", description = "an unknown source")
    public Changes changes(@Parameter(description = "a source name or a CRM") @QueryParam("source") String source) {
        knownSource(source);
        return new Changes(catalog.changes(source));
    }

    /** Polls the named source (or every enabled one) now, through the same routes as the timers. */
    @POST
    @Path("/refresh")
    @Operation(summary = "Poll now, through the same routes as the timers", description = "Answers once the polls are done.")
    @APIResponse(responseCode = "200", description = "the polled sources' status",
            content = @Content(schema = @Schema(implementation = Polled.class)))
    @APIResponse(responseCode = "400", description = "an unknown source")
    @APIResponse(responseCode = "409", description = "the source (or every source) is not enabled")
    public Polled refresh(@Parameter(description = "a source name or a CRM; every enabled source without it")
            @QueryParam("source") String source) {
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
