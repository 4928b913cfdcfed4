package io.leadsync.catalog;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadsync.storage.JsonFiles;
import org.jboss.logging.Logger;

/**
 * The last good catalog of each source, one JSON file per source under {@code <data-dir>/catalogs},
 * replaced atomically ({@link JsonFiles}).
 */
final class CatalogFiles {

    private static final Logger LOG = Logger.getLogger(CatalogFiles.class);

    private final Path dir;
    private final ObjectMapper json;
    private final JsonFiles files;

    CatalogFiles(Path dataDir, ObjectMapper json) {
        this.dir = dataDir.resolve("catalogs");
        this.json = json;
        this.files = new JsonFiles(json);
    }

    void save(SourceCatalog catalog) throws IOException {
        files.write(dir.resolve(URLEncoder.encode(catalog.source(), StandardCharsets.UTF_8) + ".json"), catalog);
    }

    /** Every readable catalog on disk; an unreadable file is moved aside with a log line, never fatal. */
    List<SourceCatalog> loadAll() {
        List<SourceCatalog> catalogs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return catalogs;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                load(file, catalogs);
            }
        } catch (IOException e) {
            LOG.errorf("Cannot list saved catalogs in %s: %s", dir, e.getMessage());
        }
        return catalogs;
    }

    private void load(Path file, List<SourceCatalog> into) {
        try {
            SourceCatalog catalog = json.readValue(file.toFile(), SourceCatalog.class);
            String expected = URLDecoder.decode(file.getFileName().toString().replaceFirst("\\.json$", ""),
                    StandardCharsets.UTF_8);
            if (catalog.source() == null || !catalog.source().equals(expected) || catalog.stages() == null
                    || catalog.lostReasons() == null) {
                throw new IOException("it does not hold a catalog of source '" + expected + "'");
            }
            into.add(catalog);
        } catch (IOException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            LOG.errorf("Saved catalog %s is unreadable (%s); moved it to %s and will wait for the next poll",
                    file, e.getMessage(), aside.getFileName());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.errorf("Could not move %s aside: %s", file, moveFailed.getMessage());
            }
        }
    }
}
