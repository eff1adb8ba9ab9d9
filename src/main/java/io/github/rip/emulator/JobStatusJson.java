package io.github.rip.emulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a message as the jobstatus API's {@code DataJobStatusDetail} (docs/d365-api.md §1.4): PascalCase keys, enums as
 * integers or names and dates as ISO-8601 or {@code /Date(ms)/}, as configured. Dates not reached yet and the
 * execution id before processing ends are null (what D365 sends there is UNCONFIRMED).
 */
final class JobStatusJson {

    private final EmulatorConfig.EnumFormat enumFormat;
    private final EmulatorConfig.DateFormat dateFormat;

    JobStatusJson(EmulatorConfig.EnumFormat enumFormat, EmulatorConfig.DateFormat dateFormat) {
        this.enumFormat = enumFormat;
        this.dateFormat = dateFormat;
    }

    String render(EmulatorMessage message, RecurringJob job) {
        ProcessingOutcome outcome = message.outcome();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode status = root.putObject("DataJobStatus");
        status.put("DataProject", job.dataProject());
        status.put("DataJobIdentifier", message.id());
        status.put("ExternalIdentifier", message.externalIdentifier());
        status.put("ExecutionIdentifier", outcome == null ? null : outcome.executionId());
        date(status, "DataJobStartedDateTime", message.startedAt());
        date(status, "DataJobCompletedDateTime", message.completedAt());
        if (enumFormat == EmulatorConfig.EnumFormat.NAME) {
            status.put("DataJobState", message.state().wireName());
        } else {
            status.put("DataJobState", message.state().code());
        }
        root.put("ExecutionLog", outcome == null ? "" : outcome.executionLog());
        ArrayNode details = root.putArray("ExecutionDetail");
        if (outcome != null) {
            for (EntityResult entity : outcome.entities()) {
                ObjectNode detail = details.addObject();
                detail.put("EntityName", entity.entityName());
                detail.put("Company", entity.company());
                detail.put("StagingRecords", entity.stagingRecords());
                state(detail, "StagingStatus", entity.stagingStatus());
                detail.put("StagingErrorCount", entity.stagingErrorCount());
                detail.put("TargetRecords", entity.targetRecords());
                state(detail, "TargetStatus", entity.targetStatus());
                detail.put("TargetErrorCount", entity.targetErrorCount());
                date(detail, "ExecutionStartedDateTime", entity.startedAt());
                date(detail, "ExecutionCompletedDateTime", entity.completedAt());
            }
        }
        return root.toString();
    }

    private void state(ObjectNode node, String field, EntityExecutionState state) {
        if (enumFormat == EmulatorConfig.EnumFormat.NAME) {
            node.put(field, state.wireName());
        } else {
            node.put(field, state.code());
        }
    }

    private void date(ObjectNode node, String field, Instant value) {
        if (value == null) {
            node.putNull(field);
        } else if (dateFormat == EmulatorConfig.DateFormat.DOTNET) {
            node.put(field, "/Date(" + value.toEpochMilli() + ")/");
        } else {
            node.put(field, value.truncatedTo(ChronoUnit.MILLIS).toString());
        }
    }
}
