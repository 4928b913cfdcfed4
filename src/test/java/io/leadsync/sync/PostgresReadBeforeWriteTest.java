package io.leadsync.sync;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same reads with the store in PostgreSQL: SKIPPED receipts and the echo look-up in its SQL. */
@QuarkusTest
@TestProfile(PostgresSyncFlowsTest.OnPostgres.class)
class PostgresReadBeforeWriteTest extends ReadBeforeWriteTest {
}
