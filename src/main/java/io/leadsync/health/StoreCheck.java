package io.leadsync.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsync.config.LeadsyncConfig;
import io.leadsync.delivery.FileStoreImport;
import io.leadsync.storage.Store;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the store can be used: a replica whose database is down cannot accept updates, so it
 * should get no traffic. Reads the store's last known state (the delivery queue retries every claim
 * interval), so a probe never waits for a database connection. Not ready either while the data dir of a file
 * store is being imported: until then an old update's id would answer 404.
 */
@Readiness
@ApplicationScoped
public class StoreCheck implements HealthCheck {

    @Inject
    Store store;

    @Inject
    LeadsyncConfig config;

    @Inject
    FileStoreImport fileStoreImport;

    @Override
    public HealthCheckResponse call() {
        if (!config.intake().enabled()) {
            return HealthCheckResponse.up("store"); // run-once or validate mode: no intake, no probe traffic
        }
        String unavailable = store.unavailable();
        if (unavailable == null && !fileStoreImport.done()) {
            unavailable = "importing the file store of an earlier leadsync into " + store.describe();
        }
        return HealthCheckResponse.named("store").status(unavailable == null)
                .withData("store", unavailable == null ? store.describe() : unavailable).build();
    }
}
