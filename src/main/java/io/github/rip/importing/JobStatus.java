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
    /** Terminal failures, in jobstatus and in GetMessageStatus spellings, compared case-insensitively. */
    private static final Set<String> FAILED = Set.of("processedwitherrors", "preprocesserror", "postprocesserror",
            "preprocessingerror", "postprocessingerror", "postprocessingfailed");
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

    public boolean succeeded() {
        return "processed".equalsIgnoreCase(state);
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
