package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.CSV_JOB;
import static io.github.rip.emulator.ExportTestSupport.EXPORT_JOB;
import static io.github.rip.emulator.ExportTestSupport.GROUP_COLUMNS;
import static io.github.rip.emulator.ExportTestSupport.TWO_ENTITY_JOB;
import static io.github.rip.emulator.ExportTestSupport.ack;
import static io.github.rip.emulator.ExportTestSupport.dequeue;
import static io.github.rip.emulator.ExportTestSupport.dequeueMessage;
import static io.github.rip.emulator.ExportTestSupport.download;
import static io.github.rip.emulator.ExportTestSupport.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.rip.packaging.PackageContents;
import io.github.rip.packaging.PackageEntity;
import io.github.rip.packaging.PackageReader;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated packages, the admin publish endpoint, the publish schedule, and export messages across a restart. */
class ExportPublishTest {

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

    @Test
    void aGeneratedPackageIsValidAndHoldsTheConfiguredEntitiesAndRows() throws Exception {
        start(ExportTestSupport.config(dataDir));
        String id = emulator.publishGenerated(TWO_ENTITY_JOB, 25);
        JsonNode m = dequeueMessage(http, emulator, token, TWO_ENTITY_JOB);
        Path zip = Files.write(files.resolve("export.zip"),
                download(http, m.get("DownloadLocation").asText(), token).body());

        PackageContents contents = PackageReader.read(zip);

        assertTrue(contents.isValid(), contents.problems().toString());
        assertEquals("Master data export", contents.manifest().definitionGroupName());
        List<PackageEntity> entities = contents.manifest().entities();
        assertEquals(List.of("Customer groups", "Currencies"), entities.stream().map(PackageEntity::entityName)
                .toList());
        assertEquals(GROUP_COLUMNS, entities.get(0).fieldMap());
        assertEquals("CSV-Unicode", entities.get(0).sourceFormat());
        assertEquals("CSV", entities.get(1).sourceFormat());
        List<String> groups = lines(contents, zip, entities.get(0), StandardCharsets.UTF_16LE);
        List<String> currencies = lines(contents, zip, entities.get(1), StandardCharsets.UTF_8);
        assertEquals("\uFEFFCUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID", groups.get(0), "UTF-16LE with BOM");
        assertEquals(26, groups.size(), "header + 25 rows");
        assertEquals(26, currencies.size());
        assertTrue(groups.get(1).matches("CG00001,[A-Za-z ]+,[A-Za-z0-9+]+"), groups.get(1));
        assertEquals(25, groups.stream().skip(1).map(l -> l.split(",")[0]).collect(Collectors.toSet()).size(),
                "unique keys");
        JsonNode status = Json.MAPPER.readTree(EmulatorTestSupport.get(http, emulator, token,
                "/api/connector/jobstatus/" + TWO_ENTITY_JOB + "?jobId=" + id).body());
        assertEquals(25, status.at("/ExecutionDetail/1/TargetRecords").asInt(), status.toString());
    }

    @Test
    void theSameSeedGivesTheSameRows() throws Exception {
        start(ExportTestSupport.config(dataDir));
        String a = emulator.publishGenerated(EXPORT_JOB, 10, 42);
        String b = emulator.publishGenerated(EXPORT_JOB, 10, 42);
        String c = emulator.publishGenerated(EXPORT_JOB, 10, 43);

        assertEquals(entityText(a), entityText(b));
        assertNotEquals(entityText(a), entityText(c));
    }

    @Test
    void theAdminEndpointPublishesGeneratedPackagesFilesAndFilelessMessages() throws Exception {
        start(ExportTestSupport.config(dataDir));
        String admin = "/admin/exports/" + EXPORT_JOB + "/publish";

        HttpResponse<String> generated = post(http, emulator, token, admin + "?rows=5", "", "text/plain");
        HttpResponse<String> posted = post(http, emulator, token, admin + "?fileName=hello.txt", "hello",
                "application/octet-stream");
        HttpResponse<String> fileless = post(http, emulator, token, admin + "?downloadError=Gone", "", "text/plain");

        assertEquals(200, generated.statusCode(), generated.body());
        String generatedId = Json.MAPPER.readTree(generated.body()).get("CorrelationId").asText();
        assertEquals(generatedId, dequeueMessage(http, emulator, token, EXPORT_JOB).get("CorrelationId").asText());
        assertEquals(200, posted.statusCode(), posted.body());
        JsonNode second = dequeueMessage(http, emulator, token, EXPORT_JOB);
        assertEquals(Json.MAPPER.readTree(posted.body()).get("CorrelationId").asText(),
                second.get("CorrelationId").asText());
        HttpResponse<byte[]> file = download(http, second.get("DownloadLocation").asText(), token);
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), file.body());
        assertTrue(file.headers().firstValue("Content-Disposition").orElseThrow().contains("hello.txt"));
        assertEquals(200, fileless.statusCode(), fileless.body());
        assertFalse(dequeueMessage(http, emulator, token, EXPORT_JOB).get("IsDownLoadFileExist").asBoolean());

        assertEquals(401, post(http, emulator, null, admin + "?rows=1", "", "text/plain").statusCode());
        assertEquals(400, post(http, emulator, token, "/admin/exports/" + CSV_JOB + "/publish?rows=1", "",
                "text/plain").statusCode(), "import jobs get no exports");
        assertEquals(400, post(http, emulator, token, admin, "", "text/plain").statusCode(), "nothing to publish");
        assertEquals(400, post(http, emulator, token, admin + "?rows=many", "", "text/plain").statusCode());
        assertEquals(3, emulator.exportMessages().size());
        assertEquals(7, emulator.requestCount(Endpoint.ADMIN));
    }

    @Test
    void aScheduleKeepsPublishingGeneratedPackages() throws Exception {
        start(ExportTestSupport.config(dataDir).export(new ExportSchedule(EXPORT_JOB, Duration.ofMillis(200), 3)));

        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.exportMessages().size() >= 2);

        JsonNode m = dequeueMessage(http, emulator, token, EXPORT_JOB);
        assertTrue(m.get("IsDownLoadFileExist").asBoolean());
        assertTrue(PackageReader.read(Files.write(files.resolve("s.zip"),
                download(http, m.get("DownloadLocation").asText(), token).body())).isValid());
    }

    @Test
    void exportMessagesAndTheirVisibilitySurviveARestart() throws Exception {
        start(ExportTestSupport.config(dataDir));
        String first = emulator.publishGenerated(EXPORT_JOB, 2);
        String second = emulator.publish(EXPORT_JOB, Files.writeString(files.resolve("b.txt"), "second"));
        JsonNode firstDequeue = dequeueMessage(http, emulator, token, EXPORT_JOB);
        int port = emulator.port();
        emulator.stop();

        emulator = D365Emulator.start(ExportTestSupport.config(dataDir).port(port).build());
        http = EmulatorTestSupport.httpClient(emulator);

        assertEquals(List.of(first, second), emulator.exportMessages().stream().map(ExportMessage::id).toList());
        JsonNode m = dequeueMessage(http, emulator, token, EXPORT_JOB);
        assertEquals(second, m.get("CorrelationId").asText(), "the first is still hidden");
        assertEquals("second", new String(download(http, m.get("DownloadLocation").asText(), token).body(),
                StandardCharsets.UTF_8));
        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, m.toString()).statusCode());
        assertEquals(200, ack(http, emulator, token, EXPORT_JOB, firstDequeue.toString()).statusCode(),
                "the pop receipt from before the restart still acks");
        assertEquals(204, dequeue(http, emulator, token, EXPORT_JOB).statusCode());
    }

    private static List<String> lines(PackageContents contents, Path zip, PackageEntity entity, Charset charset)
            throws IOException {
        try (InputStream in = contents.openEntry(zip, entity.inputFilePath())) {
            return new String(in.readAllBytes(), charset).lines().toList();
        }
    }

    private String entityText(String correlationId) throws IOException {
        Path zip = emulator.exportMessage(correlationId).orElseThrow().bodyPath();
        PackageContents contents = PackageReader.read(zip);
        List<String> rows = lines(contents, zip, contents.manifest().entities().get(0), StandardCharsets.UTF_16LE);
        assertEquals(11, new HashSet<>(rows).size());
        return String.join("\n", rows);
    }
}
