package io.leadsync.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.storage.Store;
import org.jboss.logging.Logger;

/**
 * With PostgreSQL, the catalogs every replica validates against: only the leader polls the CRMs
 * (io.leadsync.cluster), saves each new catalog here (table {@code catalog}), and the other replicas read
 * what changed every few seconds. With SQLite (one process) there is nothing to share: the files under
 * {@code <data-dir>/catalogs} are enough.
 */
@ApplicationScoped
class SharedCatalogs {

    private static final Logger LOG = Logger.getLogger(SharedCatalogs.class);

    @Inject
    Store store;

    @Inject
    ObjectMapper json;

    boolean enabled() {
        return store.kind() == Store.Kind.POSTGRESQL;
    }

    void save(SourceCatalog catalog) throws SQLException {
        if (!enabled() || !store.ready()) {
            return;
        }
        String document;
        try {
            document = json.writeValueAsString(catalog);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        store.writes().write(c -> {
            try (PreparedStatement save = c.prepareStatement("insert into catalog (source, document, polled_at) values (?, ?, ?)"
                    + " on conflict (source) do update set document = excluded.document, polled_at = excluded.polled_at")) {
                save.setString(1, catalog.source());
                save.setString(2, document);
                save.setLong(3, catalog.polledAt().toEpochMilli());
                return save.executeUpdate();
            }
        });
    }

    /** Every shared catalog, as the leader last saved it. */
    List<SourceCatalog> all() throws SQLException {
        List<SourceCatalog> found = new ArrayList<>();
        if (!enabled() || !store.ready()) {
            return found;
        }
        try (Connection c = store.read();
                PreparedStatement select = c.prepareStatement("select source, document from catalog")) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    try {
                        found.add(json.readValue(rows.getString("document"), SourceCatalog.class));
                    } catch (JsonProcessingException e) {
                        LOG.errorf("The shared catalog of %s is unreadable, waiting for the next poll: %s",
                                rows.getString("source"), e.getOriginalMessage());
                    }
                }
            }
        }
        return found;
    }
}
