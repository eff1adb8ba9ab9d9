package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recurring-integrations ("connector") endpoints of the import side: enqueue and jobstatus (docs/d365-api.md §1.1,
 * §1.4). jobstatus also answers for export messages by CorrelationId; the export side itself is {@link ExportApi}.
 */
final class ConnectorApi {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorApi.class);
    private static final int COPY_BUFFER = 64 * 1024;

    private final ConnectorAuthorizer authorizer;
    private final MessageStore store;
    private final ExportStore exports;
    private final ProcessingSimulator simulator;
    private final JobStatusJson jobStatusJson;
    private final EmulatorConfig config;
    private final Clock clock;

    ConnectorApi(ConnectorAuthorizer authorizer, MessageStore store, ExportStore exports,
                 ProcessingSimulator simulator, EmulatorConfig config, Clock clock) {
        this.authorizer = authorizer;
        this.store = store;
        this.exports = exports;
        this.simulator = simulator;
        this.jobStatusJson = new JobStatusJson(config.enumFormat(), config.dateFormat());
        this.config = config;
        this.clock = clock;
    }

    void register(HttpRouter router) {
        router.route("POST", "/api/connector/enqueue/{activityId}", "enqueue", this::enqueue)
                .route("GET", "/api/connector/jobstatus/{activityId}", "jobstatus", this::jobStatus);
    }

    /** Streams the body to disk (never whole in memory), records the message, answers its id as a JSON string. */
    private void enqueue(HttpCall call) throws IOException {
        ConnectorAuthorizer.Authorized caller = authorizer.authorize(call);
        RecurringJob job = caller.job();
        if (job.direction() != RecurringJob.Direction.IMPORT) {
            throw ConnectorError.badRequest("Recurring job " + job.activityId() + " is an export job; enqueue needs"
                    + " an import job.");
        }
        long limit = config.maxEnqueueBytes();
        if (limit > 0 && call.declaredLength() > limit) {
            throw ConnectorError.tooLarge(limit);
        }
        String id = Guids.newId();
        Path partial = store.partialBodyPath(id);
        long size;
        try (InputStream in = call.body(); OutputStream out = Files.newOutputStream(partial)) {
            size = copy(in, out, limit);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Path body = store.commitBody(id);
        EmulatorMessage message = new EmulatorMessage(id, job.activityId(), blankToNull(call.query("entity")
                .orElse(null)), blankToNull(call.query("company").orElse(null)),
                blankToNull(call.header("x-ms-dyn-externalidentifier").orElse(null)), body, size,
                DataJobState.ENQUEUED, clock.instant(), caller.appId(), null, null, null);
        store.save(message);
        simulator.schedule(message);
        LOG.info("Enqueued message {} for recurring job '{}' ({} bytes, entity {}, company {}) from app {}", id,
                job.name(), size, message.entity(), message.company(), caller.appId());
        call.sendJson(200, Json.MAPPER.writeValueAsString(config.messageIdFormat().format(id)));
    }

    private void jobStatus(HttpCall call) throws IOException {
        ConnectorAuthorizer.Authorized caller = authorizer.authorize(call);
        String jobId = call.query("jobId").filter(s -> !s.isBlank()).orElseThrow(() -> ConnectorError.badRequest(
                "The request is missing the 'jobId' query parameter (the message id enqueue returned)."));
        String activityId = caller.job().activityId();
        EmulatorMessage message = store.get(jobId)
                .or(() -> exports.byCorrelationId(jobId).map(ExportMessage::asStatusMessage))
                .filter(m -> m.activityId().equals(activityId))
                .orElseThrow(() -> ConnectorError.notFound("Message " + Guids.canonical(jobId)
                        + " was not found for recurring job " + caller.job().activityId() + "."));
        call.sendJson(200, jobStatusJson.render(message, caller.job()));
    }

    /** Copies everything, failing with 413 as soon as more than {@code limit} bytes arrive (0 = no limit). */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (limit > 0 && total > limit) {
                throw ConnectorError.tooLarge(limit);
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
