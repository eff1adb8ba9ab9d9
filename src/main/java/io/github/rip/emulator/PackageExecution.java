package io.github.rip.emulator;

import java.time.Instant;

/**
 * One execution of the data management package API, as the emulator keeps it (persisted in {@link PackageExecutions}).
 *
 * @param executionId     the id the caller gave (or the emulator made), as given
 * @param kind            import (ImportFromPackage) or export (ExportToPackage)
 * @param definitionGroup the data project it ran
 * @param legalEntity     the company
 * @param messageId       import: the message the processing simulator handles ({@link MessageStore}); export: null
 * @param blobName        export: the package's blob; import: the uploaded blob it was imported from
 * @param createdAt       when the action was called
 * @param readyAt         export: when the package is written and the execution Succeeded; import: null
 * @param packageName     export: the packageName the caller asked for
 */
public record PackageExecution(String executionId, Kind kind, String definitionGroup, String legalEntity,
                               String messageId, String blobName, Instant createdAt, Instant readyAt,
                               String packageName) {

    /** Which action started it. */
    public enum Kind { IMPORT, EXPORT }
}
