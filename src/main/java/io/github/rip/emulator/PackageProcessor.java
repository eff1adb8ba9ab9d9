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

import io.github.rip.packaging.PackageContents;
import io.github.rip.packaging.PackageEntity;
import io.github.rip.packaging.PackageReader;

/**
 * Processes a data package the way D365 does: the package must be whole (Manifest.xml, PackageHeader.xml, every
 * InputFilePath) or it is a PreProcessError; then each manifest entity is checked like a file, in execution
 * unit / level / sequence order. An entity with errors and FailExecutionUnitOnError stops the rest of its unit;
 * with FailLevelOnError, the later levels of its unit (those entities are reported NotRun).
 */
final class PackageProcessor {

    /** The terminal state and per-entity results of one message. */
    record Result(DataJobState state, List<EntityResult> entities) {
    }

    private static final Comparator<PackageEntity> EXECUTION_ORDER = Comparator
            .comparingInt(PackageEntity::executionUnit)
            .thenComparingInt(PackageEntity::levelInExecutionUnit)
            .thenComparingInt(PackageEntity::sequenceInLevel);

    private final EmulatorConfig config;
    private final Clock clock;

    PackageProcessor(EmulatorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    Result process(Path zip, String company, StringBuilder log) throws IOException {
        PackageContents contents = PackageReader.read(zip);
        List<String> problems = problems(contents).stream()
                // the body is stored as <message id>.body; users know it as "the package"
                .map(p -> p.replace("File '" + zip.getFileName() + "'", "The package")).toList();
        if (!problems.isEmpty()) {
            log.append("Package rejected:\n");
            problems.forEach(p -> log.append("  ").append(p).append('\n'));
            return new Result(DataJobState.PRE_PROCESS_ERROR, List.of());
        }
        List<PackageEntity> ordered = contents.manifest().entities().stream().sorted(EXECUTION_ORDER).toList();
        log.append("Package for data project '").append(contents.manifest().definitionGroupName()).append("', ")
                .append(ordered.size()).append(ordered.size() == 1 ? " entity" : " entities").append(" in order: ");
        log.append(String.join(", ", ordered.stream().map(e -> e.position() + " " + e.entityName()).toList()))
                .append(".\n");
        List<EntityResult> results = new ArrayList<>();
        Set<Integer> stoppedUnits = new HashSet<>();
        Map<Integer, Integer> stoppedAfterLevel = new HashMap<>();
        boolean anyUnreadable = false;
        for (PackageEntity entity : ordered) {
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
            EntityFileChecker.Check check = checkEntity(zip, contents, entity, log);
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

    private EntityFileChecker.Check checkEntity(Path zip, PackageContents contents, PackageEntity entity,
                                                StringBuilder log) throws IOException {
        String sourceFormat = entity.sourceFormat() == null ? "" : entity.sourceFormat().toUpperCase(Locale.ROOT);
        if (sourceFormat.contains("EXCEL")) {
            return EntityFileChecker.Check.rejected("Source format " + entity.sourceFormat() + " of entity '"
                    + entity.entityName() + "' is not supported by the emulator (CSV and XML are).");
        }
        if (entity.fieldMap().isEmpty()) {
            // Reported by a third party: D365 imports nothing, silently, when EntityMapList is missing.
            log.append("Warning: entity '").append(entity.entityName()).append("' has no EntityMapList in"
                    + " Manifest.xml, so D365 maps no column and imports nothing.\n");
            return new EntityFileChecker.Check(0, 0, 0, null, List.of());
        }
        // mapped columns must exist in the file; only the entity's required columns must hold a value in every record
        List<String> required = config.requiredColumns(entity.entityName());
        try (InputStream in = contents.openEntry(zip, entity.inputFilePath())) {
            return EntityFileChecker.check(in, formatOf(sourceFormat, entity.inputFilePath()), required,
                    entity.fieldMap());
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

    /** PackageReader's problems, plus the completeness checks D365 makes, each reported once. */
    private static List<String> problems(PackageContents contents) {
        List<String> problems = new ArrayList<>(contents.problems());
        String all = String.join("\n", problems).toLowerCase(Locale.ROOT);
        boolean notAZip = contents.entryNames().isEmpty() && !problems.isEmpty();
        if (notAZip) {
            return problems;
        }
        if (contents.manifest() == null && !all.contains("manifest.xml")) {
            problems.add("Package is missing Manifest.xml.");
        }
        if (!contents.hasPackageHeader() && !all.contains("packageheader.xml")) {
            problems.add("Package is missing PackageHeader.xml.");
        }
        if (contents.manifest() == null) {
            return problems;
        }
        if (contents.manifest().entities().isEmpty()) {
            problems.add("Manifest.xml lists no entity.");
        }
        Set<String> entries = new HashSet<>();
        contents.entryNames().forEach(n -> entries.add(n.toLowerCase(Locale.ROOT)));
        for (PackageEntity entity : contents.manifest().entities()) {
            String path = entity.inputFilePath();
            if (path == null || path.isBlank()) {
                problems.add("Entity '" + entity.entityName() + "' in Manifest.xml has no InputFilePath.");
            } else if (!entries.contains(path.toLowerCase(Locale.ROOT)) && !all.contains(path.toLowerCase(Locale.ROOT))) {
                problems.add("Package is missing file '" + path + "' that Manifest.xml lists for entity '"
                        + entity.entityName() + "'.");
            }
        }
        return problems;
    }
}
