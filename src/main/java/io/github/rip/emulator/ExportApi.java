package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export side of the connector API (docs/d365-api.md §1.2, §1.3): dequeue, download and ack. Decisions on the points
 * docs/d365-api.md §8 leaves open are listed in the package documentation.
 */
final class ExportApi {

    private static final Logger LOG = LoggerFactory.getLogger(ExportApi.class);
    private static final int MAX_ACK_BYTES = 64 * 1024;
    /** Milliseconds between 1601-01-01 and 1970-01-01, for the Windows FILETIME inside a pop receipt. */
    private static final long FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000L;
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final ConnectorAuthorizer authorizer;
    private final ExportStore store;
    private final ExportSettings settings;
    private final EmulatorConfig.DateFormat dateFormat;
    private final String baseUrl;
    private final String httpBaseUrl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ExportApi(ConnectorAuthorizer authorizer, ExportStore store, ExportSettings settings,
              EmulatorConfig.DateFormat dateFormat, String baseUrl, String publicHost, Clock clock) {
        this.authorizer = authorizer;
        this.store = store;
        this.settings = settings;
        this.dateFormat = dateFormat;
        this.baseUrl = baseUrl;
        this.httpBaseUrl = "http://" + publicHost + ":80";
        this.clock = clock;
    }

    void register(HttpRouter router) {
        router.route("GET", "/api/connector/dequeue/{activityId}", "dequeue", this::dequeue)
                .route("GET", "/api/connector/download/{activityId}", "download", this::download)
                .route("POST", "/api/connector/ack/{activityId}", "ack", this::ack);
    }

    /** 204 when nothing is visible; else the oldest visible message, hidden for the visibility timeout from now. */
    private void dequeue(HttpCall call) throws IOException {
        RecurringJob job = exportJob(call, "dequeue");
        Instant now = clock.instant();
        Instant[] previousDequeue = new Instant[1];
        Optional<ExportMessage> taken = store.dequeue(job.activityId(), now, m -> {
            previousDequeue[0] = m.lastDequeuedAt();
            String newCorrelationId = m.dequeueCount() > 0 && settings.redeliveryNewCorrelationId()
                    ? Guids.newId() : null;
            return m.dequeued(now, popReceipt(m.dequeueCount() + 1, now), now.plus(settings.visibilityTimeout()),
                    newCorrelationId);
        });
        if (taken.isEmpty()) {
            call.sendEmpty(204);
            return;
        }
        ExportMessage m = taken.get();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("CorrelationId", m.correlationId());
        body.put("PopReceipt", m.popReceipt());
        body.put("DownloadLocation", m.isDownloadable() ? downloadLocation(m) : null);
        body.put("IsDownLoadFileExist", m.isDownloadable());
        body.put("FileDownLoadErrorMessage", m.downloadErrorMessage());
        body.put("LastDequeueDateTime", format(previousDequeue[0]));
        LOG.info("Dequeued export message {} of job '{}' (delivery {})", m.correlationId(), job.name(),
                m.dequeueCount());
        call.sendJson(200, body.toString());
    }

    /** Streams the package of the message named by {@code blob} (and {@code correlation-id}, when given). */
    private void download(HttpCall call) throws IOException {
        RecurringJob job = exportJob(call, "download");
        String blob = call.query("blob").filter(b -> !b.isBlank()).orElseThrow(() -> ConnectorError.badRequest(
                "The request is missing the 'blob' query parameter; use the DownloadLocation dequeue returned."));
        ExportMessage m = store.byBlob(blob).filter(x -> x.activityId().equals(job.activityId()))
                .orElseThrow(() -> ConnectorError.notFound("No export file " + Guids.canonical(blob)
                        + " exists for recurring job " + job.activityId() + "."));
        Optional<String> correlationId = call.query("correlation-id").filter(c -> !c.isBlank());
        if (correlationId.isPresent() && !m.hasCorrelationId(Guids.canonical(correlationId.get()))) {
            throw ConnectorError.notFound("Export file " + m.blobId() + " does not belong to correlation id "
                    + Guids.canonical(correlationId.get()) + ".");
        }
        if (m.state() == DataJobState.ACKED) {
            throw ConnectorError.notFound("Export message " + m.correlationId() + " was acknowledged; its file is"
                    + " gone.");
        }
        if (!m.isDownloadable() || m.bodyPath() == null) {
            throw ConnectorError.notFound("Export message " + m.correlationId() + " has no file: "
                    + m.downloadErrorMessage());
        }
        try {
            String name = m.fileName() == null ? m.correlationId() + ".zip" : m.fileName();
            call.setHeader("Content-Disposition", "attachment; filename=\"" + name.replace("\"", "") + "\"");
            call.sendFile(200, contentType(m.bodyPath()), m.bodyPath(), Files.size(m.bodyPath()));
        } catch (NoSuchFileException e) {
            throw ConnectorError.notFound("Export message " + m.correlationId() + " was acknowledged; its file is"
                    + " gone."); // acked while we were looking
        }
    }

    /** Matches CorrelationId + PopReceipt; only the latest receipt acks. Repeating a successful ack is a 200. */
    private void ack(HttpCall call) throws IOException {
        RecurringJob job = exportJob(call, "ack");
        JsonNode body = readJson(call);
        String correlationId = Guids.canonical(text(body, "CorrelationId"));
        String popReceipt = text(body, "PopReceipt");
        if (correlationId == null || correlationId.isEmpty() || popReceipt == null || popReceipt.isEmpty()) {
            throw ConnectorError.badRequest("The ack body must be the dequeue response: at least CorrelationId,"
                    + " PopReceipt and DownloadLocation.");
        }
        boolean repeated = store.withMessage(correlationId, m -> {
            if (m == null || !m.activityId().equals(job.activityId())) {
                throw ConnectorError.badRequest("No export message with CorrelationId " + correlationId
                        + " exists for recurring job " + job.activityId() + ".");
            }
            if (!m.correlationId().equals(correlationId)) {
                throw ConnectorError.badRequest("Export message " + correlationId + " was delivered again with the"
                        + " new CorrelationId " + m.correlationId() + "; ack the latest dequeue response.");
            }
            if (m.popReceipt() == null) {
                throw ConnectorError.badRequest("Export message " + correlationId + " has not been dequeued.");
            }
            if (!m.popReceipt().equals(popReceipt.trim())) {
                throw ConnectorError.badRequest("The PopReceipt is not the current one of export message "
                        + correlationId + ": it was dequeued again (last at " + m.lastDequeuedAt()
                        + "). Ack with the PopReceipt of the latest dequeue.");
            }
            if (m.state() == DataJobState.ACKED) {
                return true;
            }
            store.save(m.acked(clock.instant()));
            if (m.bodyPath() != null) {
                Files.deleteIfExists(m.bodyPath()); // acked = gone for good; long demo runs must not fill the disk
            }
            return false;
        });
        LOG.info("{} export message {} of job '{}'", repeated ? "Re-acknowledged" : "Acknowledged", correlationId,
                job.name());
        call.sendEmpty(200);
    }

    private RecurringJob exportJob(HttpCall call, String operation) {
        RecurringJob job = authorizer.authorize(call).job();
        if (job.direction() != RecurringJob.Direction.EXPORT) {
            throw ConnectorError.badRequest("Recurring job " + job.activityId() + " is an import job; " + operation
                    + " needs an export job.");
        }
        return job;
    }

    /** An AOS download URL (docs/d365-api.md §1.2), optionally as http://…:80 like behind D365's load balancer. */
    private String downloadLocation(ExportMessage m) {
        String base = settings.downloadLocationHttpPort80() ? httpBaseUrl : baseUrl;
        return base + "/api/connector/download/%7B" + m.activityId() + "%7D?correlation-id=" + m.correlationId()
                + "&blob=" + m.blobId();
    }

    /**
     * A base64 receipt shaped like an Azure queue pop receipt ({@code AgAAAAMAAAAAAAAA3XpSEQ0b1QE=}): version 2,
     * the delivery count, random bytes so two receipts never collide, and the dequeue time as a Windows FILETIME.
     */
    private String popReceipt(int delivery, Instant now) {
        byte[] salt = new byte[4];
        random.nextBytes(salt);
        ByteBuffer bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(2).putInt(delivery).put(salt).putLong((now.toEpochMilli() + FILETIME_EPOCH_OFFSET_MS) * 10_000);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** Same form as jobstatus dates: ISO-8601 UTC or {@code /Date(ms)/}. */
    private String format(Instant value) {
        if (value == null) {
            return null;
        }
        return dateFormat == EmulatorConfig.DateFormat.DOTNET ? "/Date(" + value.toEpochMilli() + ")/"
                : value.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String contentType(Path body) throws IOException {
        try (InputStream in = Files.newInputStream(body)) {
            return Arrays.equals(in.readNBytes(4), ZIP_MAGIC) ? "application/zip" : "application/octet-stream";
        }
    }

    private static JsonNode readJson(HttpCall call) throws IOException {
        byte[] bytes;
        try (InputStream in = call.body()) {
            bytes = in.readNBytes(MAX_ACK_BYTES + 1);
        }
        if (bytes.length > MAX_ACK_BYTES) {
            throw ConnectorError.badRequest("The ack body is larger than " + MAX_ACK_BYTES + " bytes.");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ConnectorError.badRequest("The ack body must be the dequeue response JSON object.");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ConnectorError.badRequest("The ack body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A field's text, matched ignoring case of the name (clients serialize with varying naming policies). */
    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            var names = body.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (name.equalsIgnoreCase(field)) {
                    value = body.get(name);
                    break;
                }
            }
        }
        return value == null || value.isNull() ? null : value.asText();
    }
}
