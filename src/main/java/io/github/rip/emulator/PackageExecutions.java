package io.github.rip.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * The package API's executions by execution id, kept in one JSON file ({@code <dataDir>/executions.json}, rewritten
 * atomically on every change) so an emulator restart still answers for executions a client started before it.
 */
final class PackageExecutions {

    private final Path file;
    private final Map<String, PackageExecution> byId = new ConcurrentHashMap<>();

    private PackageExecutions(Path file) {
        this.file = file;
    }

    static PackageExecutions open(Path file) throws IOException {
        PackageExecutions store = new PackageExecutions(file);
        if (Files.exists(file)) {
            List<PackageExecution> saved = Json.MAPPER.readValue(file.toFile(), new TypeReference<>() { });
            saved.forEach(e -> store.byId.put(e.executionId(), e));
        }
        return store;
    }

    Optional<PackageExecution> get(String executionId) {
        return executionId == null ? Optional.empty() : Optional.ofNullable(byId.get(executionId.trim()));
    }

    /** Adds a new execution; false when the id is taken. */
    synchronized boolean add(PackageExecution execution) throws IOException {
        if (byId.putIfAbsent(execution.executionId(), execution) != null) {
            return false;
        }
        save();
        return true;
    }

    /** How many executions ran this data project so far (the seed of generated export data). */
    long countFor(String definitionGroup) {
        return byId.values().stream().filter(e -> e.definitionGroup().equalsIgnoreCase(definitionGroup)).count();
    }

    /** All executions, oldest first. */
    List<PackageExecution> all() {
        return byId.values().stream().sorted(Comparator.comparing(PackageExecution::createdAt)
                .thenComparing(PackageExecution::executionId)).toList();
    }

    private void save() throws IOException {
        DataFiles.writeAtomically(file, Json.MAPPER.writeValueAsBytes(new ArrayList<>(all())), false);
    }
}
