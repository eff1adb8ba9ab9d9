package io.github.rip.exporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job's work/ folder: scratch space per message (download, unzipped and transformed files), never delivered from. */
final class Workspace {

    private static final Logger LOG = LoggerFactory.getLogger(Workspace.class);

    private Workspace() {
    }

    /** Empties the folder (creating it if needed): leftovers of a poll that died are useless, D365 resends. */
    static void clear(Path dir) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> children = Files.list(dir)) {
                children.forEach(Workspace::delete);
            }
        } catch (IOException e) {
            LOG.warn("Cannot clear work folder {}: {}", dir, e.getMessage());
        }
    }

    /** Deletes a file or folder tree; problems are logged, never thrown (it is only scratch space). */
    static void delete(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", path, e.getMessage());
        }
    }
}
