package io.leadsync.etl;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One run of an ETL job, as GET /etl/runs lists it. {@code errors} counts records skipped as malformed. */
@RegisterForReflection
public record EtlRun(String id, String job, String trigger, Instant started, Instant finished, Status status,
        long records, long errors, List<String> skipped, List<String> files, String error) {

    public enum Status {
        RUNNING, SUCCEEDED, FAILED
    }
}
