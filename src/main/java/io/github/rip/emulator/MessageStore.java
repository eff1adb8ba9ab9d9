package io.github.rip.emulator;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages on disk, under {@code <dataDir>/messages/}: {@code <id>.body} holds the received bytes and
 * {@code <id>.json} the state, rewritten atomically on every change, so an emulator restart loses nothing that a
 * client got a 200 for. Bodies are written to {@code <id>.body.part} first; leftovers of an interrupted upload are
 * removed on open.
 */
final class MessageStore {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);

    private final Path dir;
    private final Map<String, EmulatorMessage> messages = new ConcurrentHashMap<>();

    private MessageStore(Path dir) {
        this.dir = dir;
    }

    static MessageStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        MessageStore store = new MessageStore(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".part") || name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(".json")) {
                    store.load(file);
                }
            }
        }
        return store;
    }

    private void load(Path file) {
        try {
            EmulatorMessage message = Json.MAPPER.readValue(file.toFile(), EmulatorMessage.class);
            messages.put(message.id(), message.withBodyPath(bodyPath(message.id())));
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable message file {}: {}", file, e.getMessage());
        }
    }

    /** The temporary file an incoming body is streamed into before {@link #commitBody}. */
    Path partialBodyPath(String id) {
        return dir.resolve(id + ".body.part");
    }

    Path bodyPath(String id) {
        return dir.resolve(id + ".body");
    }

    /** Makes a completely received body permanent. */
    Path commitBody(String id) throws IOException {
        Path body = bodyPath(id);
        DataFiles.moveAtomically(partialBodyPath(id), body);
        return body;
    }

    /** Persists a new or changed message. */
    synchronized void save(EmulatorMessage message) throws IOException {
        DataFiles.writeAtomically(dir.resolve(message.id() + ".json"), Json.MAPPER.writeValueAsBytes(message), false);
        messages.put(message.id(), message);
    }

    /** Applies a change to the stored message and persists it; empty if the message is unknown. */
    synchronized Optional<EmulatorMessage> update(String id, UnaryOperator<EmulatorMessage> change) throws IOException {
        EmulatorMessage current = messages.get(id);
        if (current == null) {
            return Optional.empty();
        }
        EmulatorMessage changed = change.apply(current);
        save(changed);
        return Optional.of(changed);
    }

    Optional<EmulatorMessage> get(String id) {
        return Optional.ofNullable(messages.get(Guids.canonical(id)));
    }

    /** All messages, oldest first. */
    List<EmulatorMessage> all() {
        return messages.values().stream().sorted(Comparator.comparing(EmulatorMessage::receivedAt)
                .thenComparing(EmulatorMessage::id)).toList();
    }
}
