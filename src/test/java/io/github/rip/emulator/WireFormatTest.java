package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.CSV_JOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The configurable wire details (message-id spelling, enum and date forms) and the 413 / 404 / 405 answers. */
class WireFormatTest {

    static final byte[] CSV = "CUSTOMERGROUPID,DESCRIPTION\n10,Retail\n".getBytes(StandardCharsets.UTF_8);
    static final String ENQUEUE = "/api/connector/enqueue/" + CSV_JOB + "?entity=Customer%20groups";

    /** Shared by all tests: emulators started on it reuse one certificate and signing key, which keeps starts fast. */
    @TempDir
    static Path dataDir;

    @ParameterizedTest
    @EnumSource(EmulatorConfig.MessageIdFormat.class)
    void enqueueSpellsTheMessageIdAsConfiguredAndJobstatusTakesItBack(EmulatorConfig.MessageIdFormat format)
            throws Exception {
        try (D365Emulator emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir).messageIdFormat(format)
                .build())) {
            HttpClient http = EmulatorTestSupport.httpClient(emulator);
            String token = EmulatorTestSupport.token(emulator);

            HttpResponse<String> r = EmulatorTestSupport.enqueue(http, emulator, token, ENQUEUE, CSV, null);

            String pattern = switch (format) {
                case LOWERCASE -> "\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"";
                case UPPERCASE -> "\"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\"";
                case BRACED_UPPERCASE -> "\"\\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}}\"";
            };
            assertTrue(r.body().matches(pattern), r.body());
            String asReturned = URLEncoder.encode(r.body(), StandardCharsets.UTF_8);
            HttpResponse<String> status = EmulatorTestSupport.get(http, emulator, token,
                    "/api/connector/jobstatus/" + CSV_JOB + "?jobId=" + asReturned);
            assertEquals(200, status.statusCode(), status.body());
        }
    }

    @Test
    void enumsAsNamesAndDotnetDates() throws Exception {
        try (D365Emulator emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir)
                .enumFormat(EmulatorConfig.EnumFormat.NAME).dateFormat(EmulatorConfig.DateFormat.DOTNET).build())) {
            HttpClient http = EmulatorTestSupport.httpClient(emulator);
            String token = EmulatorTestSupport.token(emulator);
            String id = EmulatorTestSupport.messageId(EmulatorTestSupport.enqueue(http, emulator, token, ENQUEUE, CSV,
                    null));
            org.awaitility.Awaitility.await().until(() -> emulator.message(id).orElseThrow().state().isTerminal());

            JsonNode status = Json.MAPPER.readTree(EmulatorTestSupport.get(http, emulator, token,
                    "/api/connector/jobstatus/" + CSV_JOB + "?jobId=" + id).body());

            assertEquals("Processed", status.get("DataJobStatus").get("DataJobState").asText());
            assertEquals("Finished", status.get("ExecutionDetail").get(0).get("StagingStatus").asText());
            assertTrue(status.get("DataJobStatus").get("DataJobCompletedDateTime").asText().matches("/Date\\(\\d+\\)/"));
        }
    }

    @Test
    void bodiesAboveTheLimitGet413AndLeaveNothingBehind() throws Exception {
        try (D365Emulator emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir).maxEnqueueBytes(1000)
                .build())) {
            HttpClient http = EmulatorTestSupport.httpClient(emulator);
            String token = EmulatorTestSupport.token(emulator);
            int before = emulator.messages().size();
            byte[] big = new byte[5000];

            HttpResponse<String> declared = EmulatorTestSupport.enqueue(http, emulator, token, ENQUEUE, big, null);
            HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + ENQUEUE))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(413, declared.statusCode());
            assertEquals(413, chunked.statusCode());
            assertTrue(chunked.body().contains("at most 1000 bytes"), chunked.body());
            assertEquals(before, emulator.messages().size());
            try (Stream<Path> files = Files.list(dataDir.resolve("messages"))) {
                assertTrue(files.noneMatch(f -> f.toString().endsWith(".part")));
            }
            assertEquals(200, EmulatorTestSupport.enqueue(http, emulator, token, ENQUEUE, CSV, null).statusCode());
        }
    }

    @Test
    void unknownRoutesAndMethodsAnswerLikeAspNet() throws Exception {
        try (D365Emulator emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir).build())) {
            HttpClient http = EmulatorTestSupport.httpClient(emulator);

            HttpResponse<String> unknown = EmulatorTestSupport.get(http, emulator, null, "/api/connector/nothing/x");
            HttpResponse<String> wrongMethod = EmulatorTestSupport.get(http, emulator, null, ENQUEUE);

            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().startsWith("{\"Message\":\"No HTTP resource was found"), unknown.body());
            assertEquals(405, wrongMethod.statusCode());
        }
    }
}
