package io.github.rip.emulator;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Export messages on disk, under {@code <dataDir>/exports/}: {@code <id>.body} holds the package and {@code <id>.json}
 * the state, rewritten atomically on every change, like {@link MessageStore} does for imports. Kept apart from the
 * import messages so the processing simulator never sees them and {@link D365Emulator#messages()} keeps meaning
 * "what clients enqueued". Every state change is synchronized: dequeue and ack race between HTTP workers.
 */
final class ExportStore {

    private static final Logger LOG = LoggerFactory.getLogger(ExportStore.class);
    private static final Comparator<ExportMessage> OLDEST_FIRST = Comparator.comparingLong(ExportMessage::sequence)
            .thenComparing(ExportMessage::publishedAt);

    private final Path dir;
    private final Map<String, ExportMessage> messages = new ConcurrentHashMap<>();
    private long lastSequence;

    private ExportStore(Path dir) {
        this.dir = dir;
    }

    static ExportStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        ExportStore store = new ExportStore(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".part") || name.endsWith(".tmp")) {
                    deleteTree(file); // an interrupted publish, or an older version's work folder
                } else if (name.endsWith(".json")) {
                    store.load(file);
                }
            }
        }
        store.lastSequence = store.messages.values().stream().mapToLong(ExportMessage::sequence).max().orElse(0);
        return store;
    }

    /** Deletes a file, or a folder with everything in it. */
    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    deleteTree(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    private void load(Path file) {
        try {
            ExportMessage message = Json.MAPPER.readValue(file.toFile(), ExportMessage.class);
            messages.put(message.id(), message.withBodyPath(bodyPath(message.id())));
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable export message file {}: {}", file, e.getMessage());
        }
    }

    Path partialBodyPath(String id) {
        return dir.resolve(id + ".body.part");
    }

    Path bodyPath(String id) {
        return dir.resolve(id + ".body");
    }

    /** Makes a completely written package permanent. */
    Path commitBody(String id) throws IOException {
        Path body = bodyPath(id);
        DataFiles.moveAtomically(partialBodyPath(id), body);
        return body;
    }

    /** The next publish sequence number. */
    synchronized long nextSequence() {
        return ++lastSequence;
    }

    synchronized void save(ExportMessage message) throws IOException {
        DataFiles.writeAtomically(dir.resolve(message.id() + ".json"), Json.MAPPER.writeValueAsBytes(message), false);
        messages.put(message.id(), message);
    }

    /**
     * Takes the oldest message of the activity that is neither acked nor hidden, applies the dequeue change and
     * persists it; empty when nothing is visible.
     */
    synchronized Optional<ExportMessage> dequeue(String activityId, Instant now, UnaryOperator<ExportMessage> change)
            throws IOException {
        Optional<ExportMessage> next = messages.values().stream()
                .filter(m -> m.activityId().equals(activityId) && m.state() != DataJobState.ACKED)
                .filter(m -> !m.visibleAt().isAfter(now))
                .min(OLDEST_FIRST);
        if (next.isEmpty()) {
            return next;
        }
        ExportMessage changed = change.apply(next.get());
        save(changed);
        return Optional.of(changed);
    }

    /** Applies a change to the message holding this (current or earlier) CorrelationId, under the store's lock. */
    synchronized <T> T withMessage(String correlationId, Change<T> change) throws IOException {
        return change.apply(byCorrelationId(correlationId).orElse(null));
    }

    /** A decision on the current state of one message: what to answer, and possibly a changed message to save. */
    @FunctionalInterface
    interface Change<T> {
        T apply(ExportMessage current) throws IOException;
    }

    /** The message that has or had this CorrelationId, any spelling. */
    Optional<ExportMessage> byCorrelationId(String correlationId) {
        String canonical = Guids.canonical(correlationId);
        ExportMessage direct = canonical == null ? null : messages.get(canonical);
        if (direct != null) {
            return Optional.of(direct);
        }
        return messages.values().stream().filter(m -> m.hasCorrelationId(canonical)).findFirst();
    }

    Optional<ExportMessage> byBlob(String blobId) {
        String canonical = Guids.canonical(blobId);
        return messages.values().stream().filter(m -> m.blobId().equals(canonical)).findFirst();
    }

    /** How many messages were ever published to the activity (the default seed of generated packages). */
    long countFor(String activityId) {
        return messages.values().stream().filter(m -> m.activityId().equals(activityId)).count();
    }

    /** All export messages, oldest first. */
    List<ExportMessage> all() {
        return messages.values().stream().sorted(OLDEST_FIRST).toList();
    }
}
