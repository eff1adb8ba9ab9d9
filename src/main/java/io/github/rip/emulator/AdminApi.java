package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The emulator's own endpoints, which D365 does not have: {@code POST /admin/exports/{activityId}/publish} puts a
 * message on an export job's queue, so a user (curl) or another process can drive exports.
 *
 * <p>Guarded like the connector API (a bearer token from the emulator for this environment, whose app is enabled on
 * the job) rather than "localhost only": the emulator may bind 0.0.0.0 in a container, where requests from the host
 * arrive from a bridge address, and the same check everywhere means one token drives both sides.
 */
final class AdminApi {

    private final ConnectorAuthorizer authorizer;
    private final ExportPublisher publisher;
    private final ExportStore store;

    AdminApi(ConnectorAuthorizer authorizer, ExportPublisher publisher, ExportStore store) {
        this.authorizer = authorizer;
        this.publisher = publisher;
        this.store = store;
    }

    void register(HttpRouter router) {
        router.route("POST", "/admin/exports/{activityId}/publish", "admin-publish", this::publish);
    }

    /**
     * {@code ?rows=N[&seed=S]} generates a package; {@code ?downloadError=text} publishes a message without a file;
     * otherwise the body is the file ({@code ?fileName=} names it). Answers the new message as JSON.
     */
    private void publish(HttpCall call) throws IOException {
        RecurringJob job = authorizer.authorize(call).job();
        if (job.direction() != RecurringJob.Direction.EXPORT) {
            throw ConnectorError.badRequest("Recurring job " + job.activityId() + " is an import job; exports are"
                    + " published to jobs with direction EXPORT.");
        }
        Optional<String> rows = call.query("rows").filter(r -> !r.isBlank());
        Optional<String> downloadError = call.query("downloadError");
        String correlationId;
        try {
            if (rows.isPresent()) {
                drain(call);
                Long seed = call.query("seed").filter(s -> !s.isBlank()).map(s -> number(s, "seed")).orElse(null);
                correlationId = publisher.publishGenerated(job.activityId(),
                        Math.toIntExact(number(rows.get(), "rows")), seed);
            } else if (downloadError.isPresent()) {
                drain(call);
                correlationId = publisher.publishUnavailable(job.activityId(), downloadError.get());
            } else {
                String fileName = call.query("fileName").filter(f -> !f.isBlank()).orElse(null);
                try (PushbackInputStream in = new PushbackInputStream(call.body(), 1)) {
                    int first = in.read();
                    if (first < 0) {
                        throw ConnectorError.badRequest("Send the file as the request body, or ?rows=N to generate"
                                + " a package, or ?downloadError=text for a message without a file.");
                    }
                    in.unread(first);
                    correlationId = publisher.publish(job.activityId(), in, fileName);
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw ConnectorError.badRequest(e.getMessage());
        }
        ExportMessage message = store.byCorrelationId(correlationId).orElseThrow();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("CorrelationId", message.correlationId());
        body.put("ActivityId", message.activityId());
        body.put("Size", message.size());
        body.put("IsDownLoadFileExist", message.isDownloadable());
        call.sendJson(200, body.toString());
    }

    private static long number(String value, String name) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ConnectorError.badRequest("'" + name + "' must be a whole number of 0 or more, got " + value);
        }
    }

    /** Reads and drops an unused body so the connection stays usable. */
    private static void drain(HttpCall call) throws IOException {
        try (InputStream in = call.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
