package io.leadsync.etl;

import java.io.IOException;
import java.util.Map;

/** Where an export run's records go: files always, PostgreSQL when configured. All or nothing per run. */
interface RecordSink {

    void write(Map<String, Object> record) throws IOException;

    /** Makes the run's records visible; returns where they went, for the run's listing. */
    java.util.List<String> commit() throws IOException;

    /** Leaves nothing of a failed run behind. */
    void abort();
}
