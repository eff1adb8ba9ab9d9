package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * D365's export side: puts messages on an export job's outbound queue, from a given file, from a generated data
 * package ({@link ExportDataGenerator} rows in a {@link PackageWriter} zip), without a file (the RIS crash case), or
 * on a schedule.
 */
final class ExportPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportPublisher.class);

    private final ExportStore store;
    private final EmulatorRegistry registry;
    private final EmulatorConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    ExportPublisher(ExportStore store, EmulatorRegistry registry, EmulatorConfig config, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.config = config;
        this.clock = clock;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "d365-emulator-exports");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = executor;
    }

    /** Starts the enabled schedules; the first package comes after one interval, so restarts cause no bursts. */
    void startSchedules(List<ExportSchedule> schedules) {
        for (ExportSchedule schedule : schedules) {
            if (!schedule.enabled()) {
                continue;
            }
            long every = schedule.every().toMillis();
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    publishGenerated(schedule.activityId(), schedule.rows(), null);
                } catch (IOException | RuntimeException e) {
                    LOG.error("Scheduled export publish for {} failed", schedule.activityId(), e);
                }
            }, every, every, TimeUnit.MILLISECONDS);
            LOG.info("Publishing a generated package with {} rows to export job {} every {}", schedule.rows(),
                    schedule.activityId(), schedule.every());
        }
    }

    /** Publishes a copy of the file; returns the CorrelationId. */
    String publish(String activityId, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return publish(activityId, in, file.getFileName().toString());
        }
    }

    /** Publishes the stream's bytes (streamed to disk); returns the CorrelationId. */
    String publish(String activityId, InputStream body, String fileName) throws IOException {
        RecurringJob job = exportJob(activityId);
        String id = Guids.newId();
        Path partial = store.partialBodyPath(id);
        long size;
        try (OutputStream out = Files.newOutputStream(partial)) {
            size = body.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        return record(job, id, fileName, store.commitBody(id), size, null, null);
    }

    /**
     * Generates a data package (Manifest.xml, PackageHeader.xml, one CSV per entity of the job) and publishes it.
     *
     * @param seed null = the number of messages published to the job so far, so successive packages differ but a
     *             fresh emulator always produces the same sequence
     */
    String publishGenerated(String activityId, int rows, Long seed) throws IOException {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be 0 or more, got " + rows);
        }
        RecurringJob job = exportJob(activityId);
        List<ExportEntity> entities = entitiesOf(job);
        long effectiveSeed = seed != null ? seed : store.countFor(job.activityId());
        String id = Guids.newId();
        Path partial = store.partialBodyPath(id);
        writeGenerated(job, rows, effectiveSeed, partial);
        Path body = store.commitBody(id);
        Instant now = clock.instant();
        List<EntityResult> results = entities.stream().map(e -> new EntityResult(e.name(), config.defaultCompany(),
                rows, EntityExecutionState.FINISHED, 0, rows, EntityExecutionState.FINISHED, 0, now, now, List.of()))
                .toList();
        ProcessingOutcome outcome = new ProcessingOutcome(DataJobState.PROCESSED, Guids.newId(), "Exported " + rows
                + " record(s) per entity of " + entities.size() + " entit" + (entities.size() == 1 ? "y" : "ies")
                + ".", results);
        return record(job, id, job.dataProject() + ".zip", body, Files.size(body), null, outcome);
    }

    /**
     * Writes a generated data package of the export job's entities ({@code rows} rows each, data from the seed) to
     * {@code target}; nothing is left there if it fails. Also what the package API's ExportToPackage exports.
     */
    void writeGenerated(RecurringJob job, int rows, long seed, Path target) throws IOException {
        List<ExportEntity> entities = entitiesOf(job);
        List<PackageWriter.Entity> files = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < entities.size(); i++) {
            ExportEntity entity = entities.get(i);
            files.add(new PackageWriter.Entity(entity.name(), fileName(entity, i, taken), entity.sourceFormat(),
                    entity.columns(), out -> ExportDataGenerator.writeCsv(entity, rows, seed,
                    config.defaultCompany(), out)));
        }
        try {
            PackageWriter.write(target, job.dataProject(), files);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        }
    }

    /** Publishes a message without a file: IsDownLoadFileExist=false, the error message set, no DownloadLocation. */
    String publishUnavailable(String activityId, String errorMessage) throws IOException {
        RecurringJob job = exportJob(activityId);
        String message = errorMessage == null || errorMessage.isBlank()
                ? "The export file could not be found." : errorMessage;
        return record(job, Guids.newId(), null, null, 0, message, null);
    }

    private String record(RecurringJob job, String id, String fileName, Path body, long size, String downloadError,
                          ProcessingOutcome outcome) throws IOException {
        Instant now = clock.instant();
        ExportMessage message = new ExportMessage(id, job.activityId(), store.nextSequence(), id, List.of(), null,
                Guids.newId(), fileName, body, size, downloadError, DataJobState.ENQUEUED, now, null, now, 0, null,
                outcome);
        store.save(message);
        LOG.info("Published export message {} to job '{}' ({})", id, job.name(),
                downloadError == null ? size + " bytes" : "no file: " + downloadError);
        return id;
    }

    private RecurringJob exportJob(String activityId) {
        RecurringJob job = registry.job(activityId).orElseThrow(() -> new IllegalArgumentException(
                "No recurring job with activity id " + activityId));
        if (job.direction() != RecurringJob.Direction.EXPORT) {
            throw new IllegalArgumentException("Recurring job '" + job.name() + "' (" + job.activityId()
                    + ") is an import job; exports are published to jobs with direction EXPORT");
        }
        return job;
    }

    /** The job's configured entities; a single-entity job falls back to its entity and that entity's schema. */
    private List<ExportEntity> entitiesOf(RecurringJob job) {
        if (!job.exportEntities().isEmpty()) {
            return job.exportEntities();
        }
        List<String> columns = config.requiredColumns(job.entity());
        if (job.entity() == null || columns.isEmpty()) {
            throw new IllegalStateException("Export job '" + job.name() + "' has no entities to generate: add"
                    + " `entities: [{name: …, columns: [...]}]` to the job");
        }
        return List.of(new ExportEntity(job.entity(), columns, null));
    }

    /** A unique entry name a Windows folder can hold (D365 unpacks there): no path or reserved characters. */
    private static String fileName(ExportEntity entity, int index, Set<String> taken) {
        String safe = entity.name().replaceAll("[^A-Za-z0-9 _.()&'-]", "").trim();
        String stem = safe.isEmpty() ? "Entity " + (index + 1) : safe;
        String name = stem + ".csv";
        for (int n = 2; !taken.add(name.toLowerCase(Locale.ROOT)); n++) {
            name = stem + " " + n + ".csv";
        }
        return name;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
