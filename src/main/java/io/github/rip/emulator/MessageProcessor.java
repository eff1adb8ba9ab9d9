package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides honestly, from the bytes received, how D365 would end a message: file-mode jobs check the one entity file,
 * package-mode jobs go through {@link PackageProcessor}. Never throws: any failure becomes a PreProcessError.
 */
final class MessageProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(MessageProcessor.class);
    private static final DateTimeFormatter EXECUTION_STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final int ERRORS_IN_LOG = 10;

    private final EmulatorConfig config;
    private final Clock clock;
    private final PackageProcessor packages;

    MessageProcessor(EmulatorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.packages = new PackageProcessor(config, clock);
    }

    ProcessingOutcome process(EmulatorMessage message, RecurringJob job) {
        String executionId = job.dataProject() + "-" + EXECUTION_STAMP.format(clock.instant()) + "-"
                + UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        String company = message.company() != null ? message.company() : config.defaultCompany();
        StringBuilder log = new StringBuilder();
        log.append("Recurring job '").append(job.name()).append("' (activity ").append(job.activityId())
                .append("), message ").append(message.id());
        if (message.externalIdentifier() != null) {
            log.append(", file '").append(message.externalIdentifier()).append('\'');
        }
        log.append(", ").append(message.size()).append(" bytes, company ").append(company).append(".\n");
        try {
            PackageProcessor.Result result = job.mode() == RecurringJob.Mode.PACKAGE
                    ? packages.process(message.bodyPath(), company, log)
                    : processFile(message, job, company, log);
            log.append("Result: ").append(result.state().wireName()).append('.');
            return new ProcessingOutcome(result.state(), executionId, log.toString(), result.entities());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Processing message {} failed", message.id(), e);
            log.append("The emulator could not read the message: ").append(e.getMessage()).append('\n');
            log.append("Result: ").append(DataJobState.PRE_PROCESS_ERROR.wireName()).append('.');
            return new ProcessingOutcome(DataJobState.PRE_PROCESS_ERROR, executionId, log.toString(), List.of());
        }
    }

    private PackageProcessor.Result processFile(EmulatorMessage message, RecurringJob job, String company,
                                                StringBuilder log) throws IOException {
        Instant start = clock.instant();
        String problem = null;
        if (message.entity() == null) {
            problem = "The enqueue request has no 'entity' parameter; recurring job '" + job.name()
                    + "' takes files for entity '" + job.entity() + "'.";
        } else if (!message.entity().trim().equalsIgnoreCase(job.entity())) {
            problem = "Entity '" + message.entity() + "' is not part of recurring job '" + job.name()
                    + "', which takes files for entity '" + job.entity() + "'.";
        } else if (message.size() == 0 || Files.size(message.bodyPath()) == 0) {
            problem = "The file is empty.";
        }
        EntityFileChecker.Check check;
        if (problem != null) {
            check = EntityFileChecker.Check.rejected(problem);
        } else {
            try (InputStream in = Files.newInputStream(message.bodyPath())) {
                check = EntityFileChecker.check(in, job.format(), config.requiredColumns(job.entity()));
            }
        }
        EntityResult entity = toResult(job.entity(), company, check, start, clock.instant());
        describe(log, "'" + entity.entityName() + "'", entity, check);
        return new PackageProcessor.Result(stateOf(List.of(entity), check.unreadable() != null), List.of(entity));
    }

    /** Counts and states as jobstatus reports them (see {@link EntityResult} for the staging/target split). */
    static EntityResult toResult(String entityName, String company, EntityFileChecker.Check check, Instant start,
                                 Instant end) {
        if (check.unreadable() != null) {
            return new EntityResult(entityName, company, 0, EntityExecutionState.ERROR, 0, 0,
                    EntityExecutionState.NOT_RUN, 0, start, end, check.errors());
        }
        long imported = check.records() - check.stagingErrors() - check.targetErrors();
        return new EntityResult(entityName, company, check.records(),
                check.stagingErrors() > 0 ? EntityExecutionState.ERROR : EntityExecutionState.FINISHED,
                check.stagingErrors(), imported,
                check.targetErrors() > 0 ? EntityExecutionState.ERROR : EntityExecutionState.FINISHED,
                check.targetErrors(), start, end, check.errors());
    }

    /** PreProcessError if a file was unreadable, else ProcessedWithErrors if any entity had errors, else Processed. */
    static DataJobState stateOf(List<EntityResult> entities, boolean anyUnreadable) {
        if (anyUnreadable) {
            return DataJobState.PRE_PROCESS_ERROR;
        }
        return entities.stream().anyMatch(EntityResult::hasErrors) ? DataJobState.PROCESSED_WITH_ERRORS
                : DataJobState.PROCESSED;
    }

    /** Appends one entity's summary and its first errors to the execution log. */
    static void describe(StringBuilder log, String label, EntityResult entity, EntityFileChecker.Check check) {
        log.append("Entity ").append(label).append(": ");
        if (check.unreadable() != null) {
            log.append("file rejected. ").append(check.unreadable()).append('\n');
            return;
        }
        long failed = entity.stagingErrorCount() + entity.targetErrorCount();
        log.append(entity.stagingRecords()).append(entity.stagingRecords() == 1 ? " record" : " records")
                .append(" read, ").append(entity.targetRecords())
                .append(" imported, ").append(failed).append(" failed");
        if (failed > 0) {
            log.append(" (").append(entity.stagingErrorCount()).append(" at staging, ")
                    .append(entity.targetErrorCount()).append(" at target)");
        }
        log.append(".\n");
        List<RecordError> errors = check.errors();
        errors.stream().limit(ERRORS_IN_LOG).forEach(e -> log.append("  ").append(e.message()).append('\n'));
        if (errors.size() > ERRORS_IN_LOG) {
            log.append("  … and more errors (").append(errors.size() >= EntityFileChecker.MAX_ERRORS_KEPT
                    ? "at least " : "").append(errors.size() - ERRORS_IN_LOG).append(" more messages).\n");
        }
    }
}
