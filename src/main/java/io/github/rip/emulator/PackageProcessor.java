package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Processes a data package the way D365 does, read with the emulator's own {@link PackageZip} and {@link PackageXml}
 * (never the pack's packaging code, so a bug there cannot pass here too): the package must be whole (Manifest.xml,
 * PackageHeader.xml, every InputFilePath) or it is a PreProcessError; then each manifest entity is checked like a
 * file, in execution unit / level / sequence order. An entity with errors and FailExecutionUnitOnError stops the
 * rest of its unit; with FailLevelOnError, the later levels of its unit (those entities are reported NotRun).
 */
final class PackageProcessor {

    /** The terminal state and per-entity results of one message. */
    record Result(DataJobState state, List<EntityResult> entities) {
    }

    private static final Comparator<ManifestEntity> EXECUTION_ORDER = Comparator
            .comparingInt(ManifestEntity::executionUnit)
            .thenComparingInt(ManifestEntity::levelInExecutionUnit)
            .thenComparingInt(ManifestEntity::sequenceInLevel);

    private final EmulatorConfig config;
    private final Clock clock;

    PackageProcessor(EmulatorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    Result process(Path file, String company, StringBuilder log) throws IOException {
        try (PackageZip zip = PackageZip.open(file)) {
            List<String> problems = new ArrayList<>(zip.problems());
            PackageXml.Manifest manifest = zip.isZip() ? read(zip, problems) : null;
            if (!problems.isEmpty()) {
                log.append("Package rejected:\n");
                problems.forEach(p -> log.append("  ").append(p).append('\n'));
                return new Result(DataJobState.PRE_PROCESS_ERROR, List.of());
            }
            return process(zip, manifest, company, log);
        }
    }

    private Result process(PackageZip zip, PackageXml.Manifest manifest, String company, StringBuilder log) {
        List<ManifestEntity> ordered = manifest.entities().stream().sorted(EXECUTION_ORDER).toList();
        log.append("Package for data project '").append(manifest.definitionGroupName()).append("', ")
                .append(ordered.size()).append(ordered.size() == 1 ? " entity" : " entities").append(" in order: ");
        log.append(String.join(", ", ordered.stream().map(e -> e.position() + " " + e.entityName()).toList()))
                .append(".\n");
        List<EntityResult> results = new ArrayList<>();
        Set<Integer> stoppedUnits = new HashSet<>();
        Map<Integer, Integer> stoppedAfterLevel = new HashMap<>();
        boolean anyUnreadable = false;
        for (ManifestEntity entity : ordered) {
            Integer lastLevel = stoppedAfterLevel.get(entity.executionUnit());
            if (stoppedUnits.contains(entity.executionUnit())
                    || (lastLevel != null && entity.levelInExecutionUnit() > lastLevel)) {
                Instant now = clock.instant();
                results.add(new EntityResult(entity.entityName(), company, 0, EntityExecutionState.NOT_RUN, 0, 0,
                        EntityExecutionState.NOT_RUN, 0, now, now, List.of()));
                log.append("Entity '").append(entity.entityName()).append("' (").append(entity.position())
                        .append("): not run, an earlier entity of its execution unit failed.\n");
                continue;
            }
            EntityFileChecker.Check check = checkEntity(zip, entity, log);
            EntityResult result = MessageProcessor.toResult(entity.entityName(), company, check, clock.instant(),
                    clock.instant());
            results.add(result);
            MessageProcessor.describe(log, "'" + entity.entityName() + "' (" + entity.position() + ")", result, check);
            anyUnreadable |= check.unreadable() != null;
            if (result.hasErrors() && entity.failExecutionUnitOnError()) {
                stoppedUnits.add(entity.executionUnit());
            }
            if (result.hasErrors() && entity.failLevelOnError()) {
                stoppedAfterLevel.merge(entity.executionUnit(), entity.levelInExecutionUnit(), Math::min);
            }
        }
        return new Result(MessageProcessor.stateOf(results, anyUnreadable), results);
    }

    private EntityFileChecker.Check checkEntity(PackageZip zip, ManifestEntity entity, StringBuilder log) {
        String sourceFormat = entity.sourceFormat() == null ? "" : entity.sourceFormat().toUpperCase(Locale.ROOT);
        if (sourceFormat.contains("EXCEL")) {
            return EntityFileChecker.Check.rejected("Source format " + entity.sourceFormat() + " of entity '"
                    + entity.entityName() + "' is not supported by the emulator (CSV and XML are).");
        }
        if (entity.mappedColumns().isEmpty()) {
            // Reported by a third party: D365 imports nothing, silently, when EntityMapList is missing.
            log.append("Warning: entity '").append(entity.entityName()).append("' has no EntityMapList in"
                    + " Manifest.xml, so D365 maps no column and imports nothing.\n");
            return new EntityFileChecker.Check(0, 0, 0, null, List.of());
        }
        // mapped columns must exist in the file; only the entity's required columns must hold a value in every record
        List<String> required = config.requiredColumns(entity.entityName());
        try (InputStream in = zip.open(entity.inputFilePath())) {
            return EntityFileChecker.check(in, formatOf(sourceFormat, entity.inputFilePath()), required,
                    entity.mappedColumns());
        } catch (IOException e) {
            return EntityFileChecker.Check.rejected("File '" + entity.inputFilePath() + "' cannot be read from the"
                    + " package: " + e.getMessage());
        }
    }

    /** From the data source name (XML-Element, CSV-Unicode…), else the file extension, else detected. */
    private static RecurringJob.FileFormat formatOf(String sourceFormat, String path) {
        if (sourceFormat.contains("XML")) {
            return RecurringJob.FileFormat.XML;
        }
        if (sourceFormat.contains("CSV")) {
            return RecurringJob.FileFormat.CSV;
        }
        String name = path.toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml")) {
            return RecurringJob.FileFormat.XML;
        }
        return name.endsWith(".csv") || name.endsWith(".txt") ? RecurringJob.FileFormat.CSV : null;
    }

    /** The manifest, if readable, with what D365 checks before it imports anything added to problems. */
    private static PackageXml.Manifest read(PackageZip zip, List<String> problems) throws IOException {
        PackageXml.Manifest manifest = null;
        if (zip.has(PackageXml.MANIFEST)) {
            manifest = PackageXml.readManifest(zip.open(PackageXml.MANIFEST), problems);
        } else {
            problems.add("Package is missing Manifest.xml" + zip.nestedHint(PackageXml.MANIFEST) + ".");
        }
        if (zip.has(PackageXml.HEADER)) {
            PackageXml.checkHeader(zip.open(PackageXml.HEADER), problems);
        } else {
            problems.add("Package is missing PackageHeader.xml" + zip.nestedHint(PackageXml.HEADER) + ".");
        }
        if (manifest == null) {
            return null;
        }
        if (manifest.entities().isEmpty()) {
            problems.add("Manifest.xml lists no entity.");
        }
        for (int i = 0; i < manifest.entities().size(); i++) {
            ManifestEntity entity = manifest.entities().get(i);
            String label = entity.entityName() == null ? "#" + (i + 1) : "'" + entity.entityName() + "'";
            String path = entity.inputFilePath();
            if (entity.entityName() == null) {
                problems.add("Entity " + label + " in Manifest.xml has no EntityName.");
            }
            if (entity.sourceFormat() == null) {
                problems.add("Entity " + label + " in Manifest.xml has no SourceFormat.");
            }
            if (path == null) {
                problems.add("Entity " + label + " in Manifest.xml has no InputFilePath.");
            } else if (PackageZip.escapes(path)) {
                problems.add("Entity " + label + " in Manifest.xml has InputFilePath '" + path + "', outside the"
                        + " package folder.");
            } else if (!zip.has(path)) {
                problems.add("Package is missing file '" + path + "' that Manifest.xml lists for entity " + label
                        + ".");
            }
        }
        return manifest;
    }
}
