package io.leadsync.crm.telecrm;

import java.util.List;

import io.leadsync.testing.EmbeddedPostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same walks with the store in PostgreSQL (what several replicas share): the telecrm_stage_seen SQL of both stores. */
@QuarkusTest
@TestProfile(PostgresTelecrmChangesTest.OnPostgres.class)
class PostgresTelecrmChangesTest extends TelecrmChangesTest {

    public static class OnPostgres extends TelecrmChangesTest.Profile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
        }
    }
}
