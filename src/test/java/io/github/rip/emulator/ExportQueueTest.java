package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.CSV_JOB;
import static io.github.rip.emulator.ExportTestSupport.EXPORT_JOB;
import static io.github.rip.emulator.ExportTestSupport.ack;
import static io.github.rip.emulator.ExportTestSupport.dequeue;
import static io.github.rip.emulator.ExportTestSupport.dequeueMessage;
import static io.github.rip.emulator.ExportTestSupport.download;
import static io.github.rip.emulator.ExportTestSupport.jobState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dequeue, download and ack of an export job's queue, over real HTTPS with a token from the emulator. */
class ExportQueueTest {

    static final String GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    Path dataDir;
    @TempDir
    Path files;
    D365Emulator emulator;
    HttpClient http;
    String token;

    @BeforeEach
    void start() throws Exception {
        emulator = D365Emulator.start(ExportTestSupport.config(dataDir).build());
        http = EmulatorTestSupport.httpClient(emulator);
        token = EmulatorTestSupport.token(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void anEmptyQueueAnswers204WithAnEmptyBody() throws Exception {
        HttpResponse<String> r = dequeue(http, emulator, token, EXPORT_JOB);

        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
    }

    @Test
    void aPublishedFileIsDequeuedDownloadedAndAckedForGood() throws Exception {
        byte[] content = new byte[300_000];
        new Random(1).nextBytes(content);
        Path file = Files.write(files.resolve("groups.bin"), content);
        String id = emulator.publish(EXPORT_JOB, file);
        assertEquals(0, jobState(http, emulator, token, EXPORT_JOB, id), "Enqueued once published");

        HttpResponse<String> r = dequeue(http, emulator, token, EXPORT_JOB);

        assertEquals(200, r.statusCode());
        JsonNode m = Json.MAPPER.readTree(r.body());
        List<String> fields = new ArrayList<>();
        m.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("CorrelationId", "PopReceipt", "DownloadLocation", "IsDownLoadFileExist",
                "FileDownLoadErrorMessage", "LastDequeueDateTime"), fields);
        assertEquals(id, m.get("CorrelationId").asText());
        assertTrue(id.matches(GUID), id);
        assertTrue(m.get("PopReceipt").asText().matches("[A-Za-z0-9+/]{27}="), m.get("PopReceipt").asText());
        String location = m.get("DownloadLocation").asText();
        assertTrue(location.matches("\\Q" + emulator.baseUrl() + "/api/connector/download/%7B" + EXPORT_JOB
                + "%7D?correlation-id=" + id + "&blob=\\E" + GUID), location);
        assertTrue(m.get("IsDownLoadFileExist").asBoolean());
        assertTrue(m.get("FileDownLoadErrorMessage").isNull());
        assertTrue(m.get("LastDequeueDateTime").isNull(), "null on the first dequeue");
        assertEquals(1, jobState(http, emulator, token, EXPORT_JOB, id), "Dequeued");

        HttpResponse<byte[]> anonymous = download(http, location, null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(new String(anonymous.body()).contains("Authentication failed."));
        HttpResponse<byte[]> downloaded = download(http, location, token);
        assertEquals(200, downloaded.statusCode());
        assertEquals("application/octet-stream", downloaded.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(content, downloaded.body());

        HttpResponse<String> acked = ack(http, emulator, token, EXPORT_JOB, r.body());
        assertEquals(200, acked.statusCode(), acked.body());
        assertEquals("", acked.body());
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode(), "gone for good");
        assertEquals(3, jobState(http, emulator, token, EXPORT_JOB, id), "Acked");
        assertEquals(DataJobState.ACKED, emulator.exportMessage(id).orElseThrow().state());
        assertEquals(404, download(http, location, token).statusCode(), "the file is deleted after the ack");
        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, r.body()).statusCode(),
                "repeating a successful ack is harmless");
    }

    @Test
    void aLargePackageIsStreamedWithItsLength() throws Exception {
        Path file = files.resolve("large.bin");
        byte[] chunk = new byte[1 << 20];
        new Random(2).nextBytes(chunk);
        MessageDigest published = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 24; i++) {
                out.write(chunk);
                published.update(chunk);
            }
        }
        emulator.publish(EXPORT_JOB, file);
        String location = dequeueMessage(http, emulator, token, EXPORT_JOB).get("DownloadLocation").asText();

        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(location))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(200, r.statusCode());
        assertEquals(String.valueOf(24L << 20), r.headers().firstValue("Content-Length").orElseThrow());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (InputStream in = r.body()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) != -1) {
                received.update(buffer, 0, n);
            }
        }
        assertArrayEquals(published.digest(), received.digest());
    }

    @Test
    void theThreeFieldSubsetRisSendsAcksToo() throws Exception {
        String id = emulator.publishGenerated(EXPORT_JOB, 3);
        JsonNode m = dequeueMessage(http, emulator, token, EXPORT_JOB);
        HttpResponse<byte[]> zip = download(http, m.get("DownloadLocation").asText(), token);
        assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElseThrow());

        HttpResponse<String> acked = ack(http, emulator, token, EXPORT_JOB, ExportTestSupport.threeFields(m));

        assertEquals(200, acked.statusCode(), acked.body());
        assertEquals(DataJobState.ACKED, emulator.exportMessage(id).orElseThrow().state());
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode());
    }

    @Test
    void messagesComeOneAtATimeOldestFirst() throws Exception {
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            published.add(emulator.publish(EXPORT_JOB, Files.writeString(files.resolve(i + ".txt"), "file " + i)));
        }

        List<String> dequeued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dequeued.add(dequeueMessage(http, emulator, token, EXPORT_JOB).get("CorrelationId").asText());
        }

        assertEquals(published, dequeued);
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode(), "the others are hidden");
    }

    @Test
    void badAcksAreRefusedWithAMessageThatSaysWhy() throws Exception {
        emulator.publishGenerated(EXPORT_JOB, 1);
        JsonNode m = dequeueMessage(http, emulator, token, EXPORT_JOB);

        HttpResponse<String> unknown = ack(http, emulator, token, EXPORT_JOB, "{\"CorrelationId\":\""
                + "00000000-0000-4000-8000-000000000000\",\"PopReceipt\":\"" + m.get("PopReceipt").asText() + "\"}");
        HttpResponse<String> wrongReceipt = ack(http, emulator, token, EXPORT_JOB, "{\"CorrelationId\":\""
                + m.get("CorrelationId").asText() + "\",\"PopReceipt\":\"AgAAAAEAAAAAAAAAAAAAAAAAAAA=\"}");
        HttpResponse<String> noReceipt = ack(http, emulator, token, EXPORT_JOB, "{\"CorrelationId\":\""
                + m.get("CorrelationId").asText() + "\"}");
        HttpResponse<String> notJson = ack(http, emulator, token, EXPORT_JOB, "ack please");

        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("No export message with CorrelationId"), unknown.body());
        assertTrue(unknown.body().contains("\"ExceptionType\""), unknown.body());
        assertEquals(400, wrongReceipt.statusCode());
        assertTrue(wrongReceipt.body().contains("PopReceipt is not the current one"), wrongReceipt.body());
        assertEquals(400, noReceipt.statusCode());
        assertEquals(400, notJson.statusCode());
        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, m.toString()).statusCode());
    }

    @Test
    void everyActivityIdSpellingAndALanguagePrefixWork() throws Exception {
        String id = emulator.publishGenerated(EXPORT_JOB, 1);
        String upper = EXPORT_JOB.toUpperCase(Locale.ROOT);

        JsonNode m = Json.MAPPER.readTree(EmulatorTestSupport.get(http, emulator, token,
                "/en-us/api/connector/dequeue/%7B" + upper + "%7D").body());
        HttpResponse<String> acked = ExportTestSupport.post(http, emulator, token, "/en/api/connector/ack/" + upper,
                m.toString(), "application/json");

        assertEquals(id, m.get("CorrelationId").asText());
        assertEquals(200, acked.statusCode(), acked.body());
    }

    @Test
    void importJobsOtherAppsAndUnknownBlobsAreRefused() throws Exception {
        emulator.publishGenerated(EXPORT_JOB, 1);
        String otherToken = EmulatorTestSupport.token(emulator, EmulatorTestSupport.OTHER_APP_ID,
                EmulatorTestSupport.OTHER_SECRET, emulator.baseUrl());

        assertEquals(400, dequeue(http, emulator, token, CSV_JOB).statusCode(), "dequeue needs an export job");
        assertEquals(401, dequeue(http, emulator, null, EXPORT_JOB).statusCode());
        assertEquals(401, dequeue(http, emulator, otherToken, EXPORT_JOB).statusCode(), "app not enabled");
        assertEquals(404, dequeue(http, emulator, token, "6d31e09f-0000-4000-8000-00000000dead").statusCode());
        assertEquals(400, EmulatorTestSupport.enqueue(http, emulator, token, "/api/connector/enqueue/" + EXPORT_JOB,
                new byte[] {1}, null).statusCode(), "enqueue needs an import job");
        assertEquals(404, download(http, emulator.baseUrl() + "/api/connector/download/%7B" + EXPORT_JOB
                + "%7D?correlation-id=x&blob=00000000-0000-4000-8000-000000000000", token).statusCode());
        assertThrows(IllegalArgumentException.class, () -> emulator.publishGenerated(CSV_JOB, 1));
        assertEquals(1, emulator.exportMessages().size());
        assertEquals(0, emulator.messages().size(), "export messages are not import messages");
    }
}
