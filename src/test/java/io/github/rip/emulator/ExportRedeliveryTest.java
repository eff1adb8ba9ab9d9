package io.github.rip.emulator;

import static io.github.rip.emulator.ExportTestSupport.EXPORT_JOB;
import static io.github.rip.emulator.ExportTestSupport.ack;
import static io.github.rip.emulator.ExportTestSupport.dequeue;
import static io.github.rip.emulator.ExportTestSupport.dequeueMessage;
import static io.github.rip.emulator.ExportTestSupport.download;
import static io.github.rip.emulator.ExportTestSupport.jobState;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The visibility timeout and its redelivery, the http:80 DownloadLocation switch, and messages without a file. */
class ExportRedeliveryTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path files;
    D365Emulator emulator;
    HttpClient http;
    String token;

    void start(EmulatorConfig.Builder config) throws Exception {
        emulator = D365Emulator.start(config.build());
        http = EmulatorTestSupport.httpClient(emulator);
        token = EmulatorTestSupport.token(emulator);
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    /** Dequeues until the hidden message is offered again. */
    JsonNode awaitRedelivery() {
        AtomicReference<JsonNode> redelivered = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> r = dequeue(http, emulator, token, EXPORT_JOB);
            if (r.statusCode() == 200) {
                redelivered.set(Json.MAPPER.readTree(r.body()));
            }
            return r.statusCode() == 200;
        });
        return redelivered.get();
    }

    @Test
    void anUnackedMessageComesBackWithLastDequeueDateTimeAndANewPopReceipt() throws Exception {
        start(ExportTestSupport.config(dataDir).visibilityTimeout(Duration.ofSeconds(1)));
        String id = emulator.publishGenerated(EXPORT_JOB, 2);
        JsonNode first = dequeueMessage(http, emulator, token, EXPORT_JOB);
        Instant firstDequeue = emulator.exportMessage(id).orElseThrow().lastDequeuedAt();
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode(), "hidden after a dequeue");

        JsonNode second = awaitRedelivery();

        assertEquals(id, second.get("CorrelationId").asText(), "same CorrelationId by default");
        assertNotEquals(first.get("PopReceipt").asText(), second.get("PopReceipt").asText());
        assertEquals(firstDequeue.toEpochMilli(),
                Instant.parse(second.get("LastDequeueDateTime").asText()).toEpochMilli());
        assertEquals(1, jobState(http, emulator, token, EXPORT_JOB, id), "still Dequeued");

        HttpResponse<String> stale = ack(http, emulator, token, EXPORT_JOB, first.toString());
        assertEquals(400, stale.statusCode());
        assertTrue(stale.body().contains("dequeued again"), stale.body());
        assertEquals(DataJobState.DEQUEUED, emulator.exportMessage(id).orElseThrow().state());

        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, second.toString()).statusCode());
        assertEquals(3, jobState(http, emulator, token, EXPORT_JOB, id));
    }

    @Test
    void aRedeliveryCanCarryANewCorrelationIdWhenSwitchedOn() throws Exception {
        start(ExportTestSupport.config(dataDir).visibilityTimeout(Duration.ofSeconds(1))
                .redeliveryNewCorrelationId(true));
        String id = emulator.publishGenerated(EXPORT_JOB, 2);
        JsonNode first = dequeueMessage(http, emulator, token, EXPORT_JOB);

        JsonNode second = awaitRedelivery();

        String newId = second.get("CorrelationId").asText();
        assertEquals(id, first.get("CorrelationId").asText());
        assertNotEquals(id, newId);
        HttpResponse<String> stale = ack(http, emulator, token, EXPORT_JOB, first.toString());
        assertEquals(400, stale.statusCode());
        assertTrue(stale.body().contains("new CorrelationId " + newId), stale.body());
        assertEquals(200, download(http, second.get("DownloadLocation").asText(), token).statusCode());
        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, second.toString()).statusCode());
        assertEquals(3, jobState(http, emulator, token, EXPORT_JOB, id), "jobstatus knows the old id too");
        assertEquals(3, jobState(http, emulator, token, EXPORT_JOB, newId));
    }

    @Test
    void theDownloadLocationCanComeBackAsHttpOnPort80() throws Exception {
        start(ExportTestSupport.config(dataDir).downloadLocationHttpPort80(true));
        byte[] content = "CUSTOMERGROUPID\r\n10\r\n".getBytes(StandardCharsets.UTF_8);
        emulator.publish(EXPORT_JOB, Files.write(files.resolve("a.csv"), content));

        String location = dequeueMessage(http, emulator, token, EXPORT_JOB).get("DownloadLocation").asText();

        assertTrue(location.startsWith("http://localhost:80/api/connector/download/%7B" + EXPORT_JOB + "%7D?"),
                location);
        String rewritten = emulator.baseUrl() + location.substring("http://localhost:80".length());
        HttpResponse<byte[]> downloaded = download(http, rewritten, token);
        assertEquals(200, downloaded.statusCode());
        assertArrayEquals(content, downloaded.body());

        emulator.downloadLocationHttpPort80(false);
        emulator.publish(EXPORT_JOB, Files.write(files.resolve("b.csv"), content));
        assertTrue(dequeueMessage(http, emulator, token, EXPORT_JOB).get("DownloadLocation").asText()
                .startsWith(emulator.baseUrl() + "/api/connector/download/"));
    }

    @Test
    void aMessageWithoutAFileSaysSoAndCanBeAcked() throws Exception {
        start(ExportTestSupport.config(dataDir));
        String id = emulator.publishUnavailable(EXPORT_JOB, "The export file was removed by the retention job.");

        JsonNode m = dequeueMessage(http, emulator, token, EXPORT_JOB);

        assertEquals(id, m.get("CorrelationId").asText());
        assertFalse(m.get("IsDownLoadFileExist").asBoolean());
        assertEquals("The export file was removed by the retention job.", m.get("FileDownLoadErrorMessage").asText());
        assertTrue(m.has("DownloadLocation") && m.get("DownloadLocation").isNull(), m.toString());
        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, ExportTestSupport.threeFields(m)).statusCode());
    }
}
