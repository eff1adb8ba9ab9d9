package io.github.rip.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Helpers for the export-side tests: an export job in the test config, dequeue / download / ack calls. */
final class ExportTestSupport {

    static final String EXPORT_JOB = "6d31e09f-0000-4000-8000-0000000000e1";
    /** An export job with two entities, for package generation. */
    static final String TWO_ENTITY_JOB = "6d31e09f-0000-4000-8000-0000000000e2";
    static final List<String> GROUP_COLUMNS = List.of("CUSTOMERGROUPID", "DESCRIPTION", "PAYMENTTERMID");

    private ExportTestSupport() {
    }

    /** The import test config plus two export jobs (default 30-minute visibility timeout). */
    static EmulatorConfig.Builder config(Path dataDir) {
        Set<String> apps = Set.of(EmulatorTestSupport.APP_ID);
        return EmulatorTestSupport.config(dataDir)
                .job(RecurringJob.packageExport(EXPORT_JOB, "Customer groups export",
                        List.of(new ExportEntity("Customer groups", GROUP_COLUMNS, null)), apps))
                .job(RecurringJob.packageExport(TWO_ENTITY_JOB, "Master data export", List.of(
                        new ExportEntity("Customer groups", GROUP_COLUMNS, null),
                        new ExportEntity("Currencies", List.of("CURRENCYCODE", "NAME", "ROUNDINGPRECISION"), "CSV")),
                        apps));
    }

    static HttpResponse<String> dequeue(HttpClient http, D365Emulator emulator, String token, String activity)
            throws IOException, InterruptedException {
        return EmulatorTestSupport.get(http, emulator, token, "/api/connector/dequeue/" + activity);
    }

    /** Dequeues and parses; fails unless the answer is 200. */
    static JsonNode dequeueMessage(HttpClient http, D365Emulator emulator, String token, String activity)
            throws IOException, InterruptedException {
        HttpResponse<String> r = dequeue(http, emulator, token, activity);
        if (r.statusCode() != 200) {
            throw new AssertionError("dequeue answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    static HttpResponse<byte[]> download(HttpClient http, String url, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> ack(HttpClient http, D365Emulator emulator, String token, String activity,
                                    String json) throws IOException, InterruptedException {
        return post(http, emulator, token, "/api/connector/ack/" + activity, json, "application/json");
    }

    static HttpResponse<String> post(HttpClient http, D365Emulator emulator, String token, String pathAndQuery,
                                     String body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** RIS's ack body: only CorrelationId, PopReceipt and DownloadLocation. */
    static String threeFields(JsonNode dequeued) {
        var body = Json.MAPPER.createObjectNode();
        body.set("CorrelationId", dequeued.get("CorrelationId"));
        body.set("PopReceipt", dequeued.get("PopReceipt"));
        body.set("DownloadLocation", dequeued.get("DownloadLocation"));
        return body.toString();
    }

    /** The DataJobState of a message by jobstatus. */
    static int jobState(HttpClient http, D365Emulator emulator, String token, String activity, String id)
            throws IOException, InterruptedException {
        HttpResponse<String> r = EmulatorTestSupport.get(http, emulator, token, "/api/connector/jobstatus/"
                + activity + "?jobId=" + id);
        if (r.statusCode() != 200) {
            throw new AssertionError("jobstatus answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body()).path("DataJobStatus").path("DataJobState").asInt();
    }
}
