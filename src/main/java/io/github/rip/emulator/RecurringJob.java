package io.github.rip.emulator;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A recurring data job as configured in D365's "Manage scheduled data jobs", identified by its activity id.
 *
 * @param activityId  the job's activity id (any GUID spelling; stored canonical: lower case, no braces)
 * @param name        the job name shown in logs and messages
 * @param mode        whether the job takes single entity files or data packages
 * @param direction   import (enqueue) or export (dequeue, download, ack)
 * @param entity      the entity (display name) of a file-mode job; null for package mode
 * @param format      the source format of a file-mode job; null to detect from the content
 * @param dataProject the data project name reported as {@code DataProject}; defaults to the job name
 * @param enabledApps the app ids enabled on the job's authorization policy (canonical lower case)
 * @param exportEntities the entities (and columns) of an export job's data project, for generated packages; empty
 *                    for import jobs, and for an export job that only gets published files
 */
public record RecurringJob(String activityId, String name, Mode mode, Direction direction, String entity,
                           FileFormat format, String dataProject, Set<String> enabledApps,
                           List<ExportEntity> exportEntities) {

    /** How the job takes its input. */
    public enum Mode { FILE, PACKAGE }

    /** Which way data flows. */
    public enum Direction { IMPORT, EXPORT }

    /** Source formats the emulator can check. */
    public enum FileFormat { CSV, XML }

    public RecurringJob {
        if (activityId == null || activityId.isBlank()) {
            throw new IllegalArgumentException("A recurring job needs an activityId");
        }
        activityId = Guids.canonical(activityId);
        name = name == null || name.isBlank() ? activityId : name;
        mode = mode == null ? Mode.FILE : mode;
        direction = direction == null ? Direction.IMPORT : direction;
        if (mode == Mode.FILE && direction == Direction.IMPORT && (entity == null || entity.isBlank())) {
            throw new IllegalArgumentException("File-mode import job '" + name + "' needs an entity");
        }
        dataProject = dataProject == null || dataProject.isBlank() ? name : dataProject;
        enabledApps = enabledApps == null ? Set.of()
                : enabledApps.stream().map(a -> a.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        exportEntities = exportEntities == null ? List.of() : List.copyOf(exportEntities);
    }

    /** The job without export entities (the record's shape before the export side existed). */
    public RecurringJob(String activityId, String name, Mode mode, Direction direction, String entity,
                        FileFormat format, String dataProject, Set<String> enabledApps) {
        this(activityId, name, mode, direction, entity, format, dataProject, enabledApps, List.of());
    }

    /** A file-mode import job for one entity. */
    public static RecurringJob fileImport(String activityId, String name, String entity, FileFormat format,
                                          Set<String> enabledApps) {
        return new RecurringJob(activityId, name, Mode.FILE, Direction.IMPORT, entity, format, null, enabledApps);
    }

    /** A data-package import job. */
    public static RecurringJob packageImport(String activityId, String name, Set<String> enabledApps) {
        return new RecurringJob(activityId, name, Mode.PACKAGE, Direction.IMPORT, null, null, null, enabledApps);
    }

    /** A recurring export job whose generated packages hold these entities. */
    public static RecurringJob packageExport(String activityId, String name, List<ExportEntity> entities,
                                             Set<String> enabledApps) {
        return new RecurringJob(activityId, name, Mode.PACKAGE, Direction.EXPORT, null, null, null, enabledApps,
                entities);
    }

    /** Whether the app may call this job's endpoints. */
    public boolean isEnabledFor(String appId) {
        return appId != null && enabledApps.contains(appId.toLowerCase(Locale.ROOT));
    }

    /** The same job with one more app enabled. */
    public RecurringJob withEnabledApp(String appId) {
        Set<String> apps = new HashSet<>(enabledApps);
        apps.add(appId);
        return new RecurringJob(activityId, name, mode, direction, entity, format, dataProject, apps, exportEntities);
    }
}
