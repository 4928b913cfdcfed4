package io.leadsync.sync;

import java.util.List;

import io.leadsync.testing.EmbeddedPostgresResource;
import io.leadsync.testing.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same flows with the store in PostgreSQL (what several replicas share): the webhook_event SQL of both stores. */
@QuarkusTest
@TestProfile(PostgresSyncFlowsTest.OnPostgres.class)
class PostgresSyncFlowsTest extends SyncFlowsTest {

    public static class OnPostgres extends Webhooks.Profile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
        }
    }
}
