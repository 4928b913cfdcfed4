package io.leadsync.etl;

import java.util.List;
import java.util.concurrent.ExecutorService;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import io.leadsync.api.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.context.ManagedExecutor;

/** GET /etl/runs lists recent runs; POST /etl/jobs/{job}/run starts one now (202), or 409 if one is running. */
@Path("/etl")
@Tag(name = "ETL", description = "The scheduled export and import jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class EtlResource {

    @Inject
    EtlJobs jobs;

    @Inject
    ManagedExecutor executor;

    @RegisterForReflection
    public record Runs(List<EtlRun> runs) {
    }

    @RegisterForReflection
    public record Started(String job, String status) {
    }

    @GET
    @Path("/runs")
    @Operation(summary = "Recent runs of the ETL jobs")
    @APIResponse(responseCode = "200", description = "the runs", content = @Content(schema = @Schema(implementation = Runs.class)))
    public Runs runs() {
        return new Runs(jobs.runs());
    }

    @POST
    @Path("/jobs/{job}/run")
    @Operation(summary = "Start a run of a job now", description = "full=true ignores the checkpoint and reads everything.")
    @APIResponse(responseCode = "202", description = "started; GET /etl/runs shows how it ends",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Started.class)))
    @APIResponse(responseCode = "404", description = "no such job")
    @APIResponse(responseCode = "409", description = "a run of that job is already running")
    public Response run(@PathParam("job") String job, @jakarta.ws.rs.QueryParam("full") boolean full) {
        if (!EtlJobs.JOBS.containsKey(job)) {
            throw new ProblemException(Status.NOT_FOUND, "unknown job '" + job + "'; the jobs are " + EtlJobs.JOBS.keySet());
        }
        if (jobs.isRunning(job)) {
            throw new ProblemException(Status.CONFLICT, "job '" + job + "' is already running; two runs of one job never overlap");
        }
        ExecutorService runner = executor;
        runner.submit(() -> {
            try {
                jobs.run(job, full ? "api (full)" : "api", full);
            } catch (EtlJobs.JobRunningException lostTheRace) {
                // another run started between the check and here; it is listed in /etl/runs
            }
        });
        return Response.accepted(new Started(job, "STARTED")).build();
    }
}
