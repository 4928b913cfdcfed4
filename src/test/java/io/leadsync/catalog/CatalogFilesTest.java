package io.leadsync.catalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.leadsync.model.LostReason;
import io.leadsync.model.Stage;
import io.leadsync.model.StageCategory;

/** Saved catalogs: written whole or not at all, read back as written, and a bad file never stops start-up. */
class CatalogFilesTest {

    final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static SourceCatalog catalog(String source, String... names) {
        List<Stage> stages = java.util.stream.IntStream.range(0, names.length)
                .mapToObj(i -> new Stage(source, String.valueOf(i), names[i], "p", StageCategory.OPEN, i + 1, true))
                .toList();
        return new SourceCatalog(source, Instant.parse("2026-11-22T10:00:00Z"), stages,
                List.of(new LostReason(source, "1", "Price", false)), List.of("a warning"));
    }

    @Test
    void savedCatalogsReadBackAsWritten(@TempDir Path dataDir) throws Exception {
        CatalogFiles files = new CatalogFiles(dataDir, json);
        files.save(catalog("telecrm", "Fresh", "Won"));
        files.save(catalog("truto:acc/1 x", "Lead In"));
        files.save(catalog("telecrm", "Fresh", "Won", "Lost")); // replaces the first

        List<SourceCatalog> loaded = files.loadAll();
        assertThat(loaded.stream().map(SourceCatalog::source).sorted().toList(), contains("telecrm", "truto:acc/1 x"));
        SourceCatalog telecrm = loaded.stream().filter(c -> c.source().equals("telecrm")).findFirst().orElseThrow();
        assertThat(telecrm, is(catalog("telecrm", "Fresh", "Won", "Lost")));
        try (var left = Files.list(dataDir.resolve("catalogs"))) {
            assertThat(left.filter(f -> f.getFileName().toString().startsWith(".")).toList(), empty());
        }
    }

    @Test
    void anUnreadableFileIsMovedAsideNotFatal(@TempDir Path dataDir) throws Exception {
        CatalogFiles files = new CatalogFiles(dataDir, json);
        files.save(catalog("superfone", "New Lead"));
        Path catalogs = dataDir.resolve("catalogs");
        Files.writeString(catalogs.resolve("telecrm.json"), "{\"source\":\"telecrm\",\"stages\":[{\"id\":");
        Files.writeString(catalogs.resolve("truto.json"), "{\"source\":\"someone-else\",\"stages\":[],\"lostReasons\":[]}");

        List<SourceCatalog> loaded = files.loadAll();
        assertThat(loaded.stream().map(SourceCatalog::source).toList(), contains("superfone"));
        assertThat(Files.exists(catalogs.resolve("telecrm.json.unreadable")), is(true));
        assertThat(Files.exists(catalogs.resolve("truto.json.unreadable")), is(true));
        assertThat(Files.exists(catalogs.resolve("telecrm.json")), is(false));
    }

    @Test
    void noDirectoryYetMeansNoCatalogs(@TempDir Path dataDir) {
        assertThat(new CatalogFiles(dataDir.resolve("absent"), json).loadAll(), empty());
    }
}
