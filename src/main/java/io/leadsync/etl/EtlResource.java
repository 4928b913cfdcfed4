package io.leadsync.etl;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.Params;
import io.leadsync.api.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * GET /etl/runs lists the runs in the store, newest first; POST /etl/jobs/{job}/run starts one now (202), or 409
 * if one is running on any replica.
 */
@Path("/etl")
@Tag(name = "ETL", description = "The scheduled export and import jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class EtlResource {

    @Inject
    EtlJobs jobs;

    @Inject
    ManagedExecutor executor;

    /** At most this many runs in one answer. */
    static final int MAX_RUNS = 1000;

    @RegisterForReflection
    public record Runs(List<EtlRun> runs) {
    }

    @RegisterForReflection
    public record Started(String id, String job, String status) {
    }

    @GET
    @Path("/runs")
    @Operation(summary = "Recent runs of the ETL jobs, newest first", description = "Every replica's runs: they are in the store.")
    @APIResponse(responseCode = "200", description = "the runs", content = @Content(schema = @Schema(implementation = Runs.class)))
    @APIResponse(responseCode = "400", description = "limit outside 1 to 1000, or an unknown job")
    @APIResponse(responseCode = "503", description = "the store is not available")
    public Runs runs(@Parameter(description = "how many runs, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "only this job's runs") @QueryParam("job") String job) {
        int size = Params.integer("query parameter 'limit'", limit, 1, MAX_RUNS, 100);
        Params.oneOf("query parameter 'job'", job, EtlJobs.JOBS.keySet());
        return new Runs(jobs.runs(job, size));
    }

    /** The jobs' names, sorted. */
    public List<String> jobs() {
        return EtlJobs.JOBS.keySet().stream().sorted().toList();
    }

    @POST
    @Path("/jobs/{job}/run")
    @Operation(summary = "Start a run of a job now", description = "full=true ignores the checkpoint and reads everything."
            + " The run is in GET /etl/runs (RUNNING) before this answers.")
    @APIResponse(responseCode = "202", description = "started; GET /etl/runs shows how it ends",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Started.class)))
    @APIResponse(responseCode = "400", description = "full neither true nor false")
    @APIResponse(responseCode = "404", description = "no such job")
    @APIResponse(responseCode = "409", description = "a run of that job is already running, on this replica or another")
    @APIResponse(responseCode = "503", description = "the store is not available, or leadsync is stopping: nothing started")
    public Response run(@PathParam("job") String job,
            @Parameter(description = "true or false (the default): ignore the checkpoint") @QueryParam("full") String full) {
        if (!EtlJobs.JOBS.containsKey(job)) {
            throw new ProblemException(Status.NOT_FOUND, "unknown job '" + job + "'; the jobs are " + EtlJobs.JOBS.keySet());
        }
        boolean fullRun = Boolean.TRUE.equals(Params.bool("query parameter 'full'", full));
        EtlRun running;
        try {
            running = jobs.start(job, fullRun ? "api (full)" : "api");
        } catch (EtlJobs.JobRunningException e) {
            throw new ProblemException(Status.CONFLICT, e.getMessage());
        }
        ExecutorService runner = executor;
        try {
            runner.submit(() -> jobs.execute(running, fullRun));
        } catch (RejectedExecutionException stopping) {
            String reason = "leadsync is stopping: the run did not start";
            jobs.abandon(running, reason); // else its RUNNING row would hold the job until the next start
            throw new ProblemException(Status.SERVICE_UNAVAILABLE, reason, 5);
        }
        return Response.accepted(new Started(running.id(), job, "STARTED")).build();
    }
}
