package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data management package API (docs/d365-api.md §2): OData actions under
 * {@code /data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.<Action>}, each answering
 * {@code {"@odata.context":…,"value":…}}. A definition group is a configured recurring job's data project
 * ({@code dataProject}, default its name): a PACKAGE import job for ImportFromPackage, an EXPORT job with entities for
 * ExportToPackage. Imports are processed like enqueued packages (the same {@link ProcessingSimulator} and
 * {@link PackageProcessor}: the package is really read, records counted, bad rows reported); exports write a generated
 * package to the blob store once the processing delay has passed.
 */
final class PackageApi {

    private static final Logger LOG = LoggerFactory.getLogger(PackageApi.class);
    private static final String PREFIX = "/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.";
    private static final int MAX_BODY = 64 * 1024;
    private static final int DEFAULT_EXPORT_ROWS = 10;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss")
            .withZone(ZoneOffset.UTC);

    private final ConnectorAuthorizer authorizer;
    private final EmulatorRegistry registry;
    private final MessageStore messages;
    private final ProcessingSimulator simulator;
    private final BlobStore blobs;
    private final PackageExecutions executions;
    private final ExportPublisher publisher;
    private final EmulatorConfig config;
    private final String baseUrl;
    private final Clock clock;
    private final AtomicReference<Duration> blobUrlLifetime = new AtomicReference<>(Duration.ofHours(1));

    PackageApi(ConnectorAuthorizer authorizer, EmulatorRegistry registry, MessageStore messages,
               ProcessingSimulator simulator, BlobStore blobs, PackageExecutions executions, ExportPublisher publisher,
               EmulatorConfig config, String baseUrl, Clock clock) {
        this.authorizer = authorizer;
        this.registry = registry;
        this.messages = messages;
        this.simulator = simulator;
        this.blobs = blobs;
        this.executions = executions;
        this.publisher = publisher;
        this.config = config;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    void register(HttpRouter router) {
        action(router, "GetAzureWriteUrl", this::azureWriteUrl);
        action(router, "ImportFromPackage", this::importFromPackage);
        action(router, "ExportToPackage", this::exportToPackage);
        action(router, "GetExecutionSummaryStatus", this::summaryStatus);
        action(router, "GetExportedPackageUrl", this::exportedPackageUrl);
        action(router, "GetExecutionErrors", this::executionErrors);
    }

    /** How long the SAS URLs handed out from now on stay valid (D365's own lifetime is unconfirmed; default 1 h). */
    void blobUrlLifetime(Duration lifetime) {
        blobUrlLifetime.set(lifetime);
    }

    private interface Action {
        Object answer(String name, JsonNode body) throws IOException;
    }

    private void action(HttpRouter router, String name, Action action) {
        router.route("POST", PREFIX + name, name, call -> {
            authorizer.authorizeDataManagement(call);
            Object value = action.answer(name, readBody(call, name));
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.put("@odata.context", baseUrl + "/data/$metadata#" + (value instanceof Boolean ? "Edm.Boolean"
                    : "Edm.String"));
            if (value instanceof Boolean b) {
                answer.put("value", b);
            } else {
                answer.put("value", (String) value);
            }
            call.sendJson(200, answer.toString());
        });
    }

    /** value = a JSON text {"BlobId":"{GUID}","BlobUrl":"<SAS URL with write permission>"}, parsed twice by clients. */
    private Object azureWriteUrl(String action, JsonNode body) {
        required(action, body, "uniqueFileName");
        String blobId = Guids.newId();
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("BlobId", "{" + blobId.toUpperCase(Locale.ROOT) + "}");
        result.put("BlobUrl", blobs.signedUrl(baseUrl, blobId, "w", clock.instant().plus(blobUrlLifetime.get())));
        return result.toString();
    }

    private Object importFromPackage(String action, JsonNode body) throws IOException {
        String packageUrl = required(action, body, "packageUrl");
        String group = required(action, body, "definitionGroupId");
        String legalEntity = text(body, "legalEntityId");
        RecurringJob job = project(action, group, RecurringJob.Direction.IMPORT);
        if (job.mode() != RecurringJob.Mode.PACKAGE) {
            throw ODataError.badRequest(action, "Data project '" + group + "' takes single entity files, not "
                    + "packages.");
        }
        String blobName = blobName(packageUrl);
        Path blob = blobName == null ? null : blobs.blob(blobName).orElse(null);
        if (blob == null) {
            throw ODataError.badRequest(action, "The package " + withoutSignature(packageUrl) + " was not found in "
                    + "storage: upload it to the URL GetAzureWriteUrl returned before importing it.");
        }
        String executionId = executionId(body, job);
        String messageId = Guids.newId();
        Path partial = messages.partialBodyPath(messageId);
        Files.copy(blob, partial);
        Path stored = messages.commitBody(messageId);
        if (!executions.add(new PackageExecution(executionId, PackageExecution.Kind.IMPORT, job.dataProject(),
                legalEntity, messageId, blobName, clock.instant(), null, null))) {
            Files.deleteIfExists(stored);
            throw ODataError.badRequest(action, "Execution id '" + executionId + "' is already used by an earlier "
                    + "execution; give a new one or none.");
        }
        EmulatorMessage message = new EmulatorMessage(messageId, job.activityId(), null, legalEntity, executionId,
                stored, Files.size(stored), DataJobState.ENQUEUED, clock.instant(), null, null, null, null);
        messages.save(message);
        simulator.schedule(message);
        LOG.info("ImportFromPackage: execution {} of data project '{}' ({} bytes, company {}, execute {}, overwrite {})",
                executionId, job.dataProject(), message.size(), legalEntity, body.path("execute").asBoolean(true),
                body.path("overwrite").asBoolean(false));
        return executionId;
    }

    private Object exportToPackage(String action, JsonNode body) throws IOException {
        String group = required(action, body, "definitionGroupId");
        RecurringJob job = project(action, group, RecurringJob.Direction.EXPORT);
        String executionId = executionId(body, job);
        String blobName = Guids.newId();
        int rows = config.exports().stream().filter(s -> s.activityId().equals(job.activityId()))
                .mapToInt(ExportSchedule::rows).findFirst().orElse(DEFAULT_EXPORT_ROWS);
        Path partial = blobs.partial(blobName);
        try {
            publisher.writeGenerated(job, rows, executions.countFor(job.dataProject()), partial);
        } catch (IllegalStateException e) {
            throw ODataError.badRequest(action, e.getMessage());
        }
        blobs.commit(blobName);
        Instant now = clock.instant();
        Instant ready = now.plus(config.processingDelay()).plus(config.processingTime());
        if (!executions.add(new PackageExecution(executionId, PackageExecution.Kind.EXPORT, job.dataProject(),
                text(body, "legalEntityId"), null, blobName, now, ready, text(body, "packageName")))) {
            throw ODataError.badRequest(action, "Execution id '" + executionId + "' is already used by an earlier "
                    + "execution; give a new one or none.");
        }
        LOG.info("ExportToPackage: execution {} of data project '{}', {} row(s) per entity, ready at {}", executionId,
                job.dataProject(), rows, ready);
        return executionId;
    }

    /** Unknown, NotRun, Executing, Succeeded, PartiallySucceeded, Failed (DMFExecutionSummaryStatus). */
    private Object summaryStatus(String action, JsonNode body) {
        PackageExecution execution = execution(action, body);
        if (execution.kind() == PackageExecution.Kind.EXPORT) {
            return clock.instant().isBefore(execution.readyAt()) ? "Executing" : "Succeeded";
        }
        EmulatorMessage message = messages.get(execution.messageId()).orElse(null);
        if (message == null) {
            return "Unknown";
        }
        return switch (message.state()) {
            case ENQUEUED -> "NotRun";
            case PROCESSED -> "Succeeded";
            case PROCESSED_WITH_ERRORS -> message.outcome().entities().stream().anyMatch(e -> e.targetRecords() > 0)
                    ? "PartiallySucceeded" : "Failed";
            case PRE_PROCESS_ERROR, POST_PROCESS_ERROR -> "Failed";
            default -> "Executing";
        };
    }

    /** The package's SAS URL (read permission) once the export finished; "" before, as clients poll for it. */
    private Object exportedPackageUrl(String action, JsonNode body) {
        PackageExecution execution = execution(action, body);
        if (execution.kind() != PackageExecution.Kind.EXPORT || clock.instant().isBefore(execution.readyAt())) {
            return "";
        }
        return blobs.signedUrl(baseUrl, execution.blobName(), "r", clock.instant().plus(blobUrlLifetime.get()));
    }

    /** value = a JSON text: an array of {EntityName, RecordId, Field, ErrorMessage}; "[]" when none (yet). */
    private Object executionErrors(String action, JsonNode body) {
        PackageExecution execution = execution(action, body);
        ArrayNode errors = Json.MAPPER.createArrayNode();
        Optional<ProcessingOutcome> outcome = execution.messageId() == null ? Optional.empty()
                : messages.get(execution.messageId()).map(EmulatorMessage::outcome);
        if (outcome.isPresent()) {
            for (EntityResult entity : outcome.get().entities()) {
                for (RecordError error : entity.errors()) {
                    ObjectNode e = errors.addObject();
                    e.put("EntityName", entity.entityName());
                    e.put("RecordId", error.row() > 0 ? String.valueOf(error.row()) : "");
                    e.put("Field", error.field() == null ? "" : error.field());
                    e.put("ErrorMessage", error.message());
                }
            }
            if (errors.isEmpty() && outcome.get().state() == DataJobState.PRE_PROCESS_ERROR) {
                ObjectNode e = errors.addObject();
                e.put("EntityName", "");
                e.put("RecordId", "");
                e.put("Field", "");
                e.put("ErrorMessage", outcome.get().executionLog());
            }
        }
        return errors.toString();
    }

    private PackageExecution execution(String action, JsonNode body) {
        String executionId = required(action, body, "executionId");
        // the wording third parties saw from D365 while an execution did not exist (yet)
        return executions.get(executionId).orElseThrow(() -> ODataError.badRequest(action, "Records for execution "
                + "id '" + executionId + "' were not found."));
    }

    /** The configured job whose data project is this definition group, in the direction the action needs. */
    private RecurringJob project(String action, String group, RecurringJob.Direction direction) {
        return registry.jobs().stream()
                .filter(j -> j.direction() == direction && j.dataProject().equalsIgnoreCase(group.trim()))
                .findFirst()
                .orElseThrow(() -> ODataError.badRequest(action, "Data project '" + group + "' does not exist in the "
                        + "target environment as an " + direction.name().toLowerCase(Locale.ROOT) + " project."));
    }

    /** The caller's execution id, or one made like D365's: project-yyyy-MM-dd_HH-mm-ss-GUID. */
    private String executionId(JsonNode body, RecurringJob job) {
        String given = text(body, "executionId");
        return given != null ? given : job.dataProject() + "-" + STAMP.format(clock.instant()) + "-"
                + Guids.newId().toUpperCase(Locale.ROOT);
    }

    /** The blob a package URL names, when it is one of this emulator's blob URLs; else null. */
    private String blobName(String packageUrl) {
        try {
            URI url = URI.create(packageUrl.trim());
            URI base = URI.create(baseUrl);
            String path = url.getRawPath();
            if (!base.getHost().equalsIgnoreCase(url.getHost()) || base.getPort() != url.getPort() || path == null
                    || !path.startsWith(BlobStore.CONTAINER_PATH)) {
                return null;
            }
            String name = path.substring(BlobStore.CONTAINER_PATH.length());
            return BlobStore.isValidName(name) ? name : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A URL without its query (the SAS signature is a secret). */
    private static String withoutSignature(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }

    private static JsonNode readBody(HttpCall call, String action) throws IOException {
        byte[] bytes;
        try (InputStream in = call.body()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw ODataError.badRequest(action, "The request body is larger than " + MAX_BODY + " bytes.");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ODataError.badRequest(action, "The request body must be a JSON object of the action's "
                        + "parameters.");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ODataError.badRequest(action, "The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String required(String action, JsonNode body, String name) {
        String value = text(body, name);
        if (value == null) {
            throw ODataError.badRequest(action, "The parameter '" + name + "' is missing or empty.");
        }
        return value;
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return null;
        }
        return value.asText().trim();
    }
}
