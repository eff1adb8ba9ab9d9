package io.github.rip.importing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.rip.connector.TransientD365Exception;

/** D365's answer to jobstatus (DataJobStatusDetail), read tolerantly: enums as integers or names, any date format. */
public record JobStatus(String state, String executionId, String dataProject, String executionLog,
                        List<EntityStatus> entities, String rawJson) {

    /** DataJobState by its integer value (docs/d365-api.md §1.4). */
    private static final List<String> JOB_STATES = List.of("Enqueued", "Dequeued", "Downloaded", "Acked", "InProcess",
            "Processed", "ProcessedWithErrors", "PostProcessError", "PreProcessError");
    /** EntityExecutionState by its integer value. */
    private static final List<String> ENTITY_STATES = List.of("NotStarted", "Waiting", "Executing", "Error", "Finished",
            "Ready", "NotRun", "Cancelling", "Canceled", "Hold");
    /**
     * Terminal failures, in jobstatus and in GetMessageStatus spellings, and the package API's execution summary
     * (PartiallySucceeded counts as a failure for an import: some records did not arrive), compared case-insensitively.
     * The summary's "Unknown" is not terminal here: it is asked again, and the overdue report catches one that stays.
     */
    private static final Set<String> FAILED = Set.of("processedwitherrors", "preprocesserror", "postprocesserror",
            "preprocessingerror", "postprocessingerror", "postprocessingfailed", "partiallysucceeded", "failed",
            "canceled");
    /** Success: jobstatus' Processed, the package API's Succeeded. */
    private static final Set<String> SUCCEEDED = Set.of("processed", "succeeded");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entity's counts from ExecutionDetail. */
    public record EntityStatus(String entityName, String company, long stagingRecords, String stagingStatus,
                               long stagingErrors, long targetRecords, String targetStatus, long targetErrors) {
    }

    public static JobStatus parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TransientD365Exception("jobstatus answered something that is not JSON: "
                    + D365Responses.abbreviate(json), null, null);
        }
        JsonNode job = root.path("DataJobStatus");
        List<EntityStatus> entities = new ArrayList<>();
        for (JsonNode e : root.path("ExecutionDetail")) {
            entities.add(new EntityStatus(text(e, "EntityName"), text(e, "Company"), e.path("StagingRecords").asLong(),
                    enumName(e.path("StagingStatus"), ENTITY_STATES), e.path("StagingErrorCount").asLong(),
                    e.path("TargetRecords").asLong(), enumName(e.path("TargetStatus"), ENTITY_STATES),
                    e.path("TargetErrorCount").asLong()));
        }
        return new JobStatus(enumName(job.path("DataJobState"), JOB_STATES), text(job, "ExecutionIdentifier"),
                text(job, "DataProject"), text(root, "ExecutionLog"), entities, json);
    }

    /**
     * A package API execution's state (GetExecutionSummaryStatus: NotRun, Executing, Succeeded, PartiallySucceeded,
     * Failed, Canceled, Unknown), without per-entity counts, which that API does not give.
     *
     * @param log the execution's errors in words (GetExecutionErrors), or null
     */
    public static JobStatus ofExecution(String state, String executionId, String dataProject, String log,
                                        String rawAnswers) {
        return new JobStatus(state == null ? null : state.trim(), executionId, dataProject, log, List.of(), rawAnswers);
    }

    /**
     * This execution's status with its GetExecutionErrors answer (a JSON text of {EntityName?, RecordId, Field,
     * ErrorMessage} objects, docs/d365-api.md §2) worded as its log, one line per error, and added to the raw answers.
     */
    public JobStatus withExecutionErrors(String answer) {
        String value = io.github.rip.connector.ODataValue.text(answer);
        StringBuilder log = new StringBuilder();
        try {
            JsonNode errors = value == null || value.isBlank() ? null : JSON.readTree(value);
            if (errors != null && errors.isArray()) {
                for (JsonNode e : errors) {
                    String entity = e.path("EntityName").asText("");
                    String record = e.path("RecordId").asText("");
                    String field = e.path("Field").asText("");
                    log.append(entity.isBlank() ? "" : entity + ": ").append(record.isBlank() ? "" : "record "
                            + record + ": ").append(field.isBlank() ? "" : field + ": ")
                            .append(e.path("ErrorMessage").asText(e.toString()).strip()).append('\n');
                }
                if (errors.isEmpty()) {
                    log.append("D365 listed no errors for this execution.\n");
                }
            } else {
                log.append(value == null ? "" : value);
            }
        } catch (JsonProcessingException e) {
            log.append(value);
        }
        return new JobStatus(state, executionId, dataProject, log.toString(), entities,
                rawJson + "\n" + (answer == null ? "" : answer));
    }

    public boolean succeeded() {
        return state != null && SUCCEEDED.contains(state.toLowerCase(Locale.ROOT));
    }

    public boolean failed() {
        return state != null && FAILED.contains(state.toLowerCase(Locale.ROOT));
    }

    public boolean terminal() {
        return succeeded() || failed();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static String enumName(JsonNode value, List<String> names) {
        if (value.isInt() || (value.isTextual() && value.asText().matches("\\d+"))) {
            int i = value.asInt();
            return i >= 0 && i < names.size() ? names.get(i) : "Unknown(" + i + ")";
        }
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
