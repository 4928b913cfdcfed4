package io.leadsync.console;

import java.util.List;

import io.leadsync.testing.EmbeddedPostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same timeline with the store in PostgreSQL: its migration (lead_history, the (time, seq) indexes) and SQL. */
@QuarkusTest
@TestProfile(PostgresLeadTimelineTest.OnPostgres.class)
class PostgresLeadTimelineTest extends LeadTimelineTest {

    public static class OnPostgres extends ConsoleOpenTest.Open {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
        }
    }
}
