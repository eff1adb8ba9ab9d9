package io.github.rip.emulator;

import java.util.List;

/**
 * What the processing simulator concluded about a message.
 *
 * @param state        the terminal state (Processed, ProcessedWithErrors or PreProcessError)
 * @param executionId  the DMF execution id reported as {@code ExecutionIdentifier}
 * @param executionLog the human-readable {@code ExecutionLog}
 * @param entities     one result per entity, in execution order ({@code ExecutionDetail})
 */
public record ProcessingOutcome(DataJobState state, String executionId, String executionLog,
                                List<EntityResult> entities) {

    public ProcessingOutcome {
        entities = entities == null ? List.of() : List.copyOf(entities);
    }
}
