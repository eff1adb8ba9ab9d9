package io.github.rip.emulator;

import java.time.Instant;
import java.util.List;

/**
 * One entity's counts and states ({@code EntityExecutionStatus} of jobstatus' ExecutionDetail).
 * Staging counts every data record read; a record that cannot be split into the header's fields fails at staging;
 * a record with an empty required column fails at target (D365's mandatory-field validation happens there).
 *
 * @param entityName        entity label
 * @param company           legal entity
 * @param stagingRecords    records read from the file
 * @param stagingStatus     Finished, Error (some or all records failed at staging) or NotRun
 * @param stagingErrorCount records that failed at staging
 * @param targetRecords     records written to the target
 * @param targetStatus      Finished, Error or NotRun
 * @param targetErrorCount  records that failed at target
 * @param startedAt         when the entity started
 * @param completedAt       when it finished
 * @param errors            the first record errors (capped), for logs and a future GetExecutionErrors
 */
public record EntityResult(String entityName, String company, long stagingRecords,
                           EntityExecutionState stagingStatus, long stagingErrorCount, long targetRecords,
                           EntityExecutionState targetStatus, long targetErrorCount, Instant startedAt,
                           Instant completedAt, List<RecordError> errors) {

    public EntityResult {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** Whether any record or the file itself failed. */
    public boolean hasErrors() {
        return stagingErrorCount > 0 || targetErrorCount > 0 || stagingStatus == EntityExecutionState.ERROR
                || targetStatus == EntityExecutionState.ERROR;
    }
}
