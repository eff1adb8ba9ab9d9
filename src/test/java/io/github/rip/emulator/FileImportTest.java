package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.APP_ID;
import static io.github.rip.emulator.EmulatorTestSupport.CSV_JOB;
import static io.github.rip.emulator.EmulatorTestSupport.XML_JOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-mode jobs: the simulator decides the outcome from the CSV or XML it really received. */
class FileImportTest {

    static final String CUSTOMER_GROUPS = "?entity=Customer%20groups&company=usmf";
    static final String VENDOR_GROUPS = "?entity=Vendor%20groups";

    @TempDir
    static Path dataDir;
    static D365Emulator emulator;
    static HttpClient http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir).processingTime(Duration.ofMillis(150))
                .build());
        http = EmulatorTestSupport.httpClient(emulator);
        token = EmulatorTestSupport.token(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aGoodCsvGoesEnqueuedInProcessProcessedWithCounts() throws Exception {
        byte[] csv = "CUSTOMERGROUPID,DESCRIPTION\n10,Retail\n20,\"Wholesale, large\"\n30,Export\n"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> enqueued = EmulatorTestSupport.enqueue(http, emulator, token,
                "/api/connector/enqueue/" + CSV_JOB + CUSTOMER_GROUPS, csv, "groups.csv");
        assertEquals(200, enqueued.statusCode());
        assertEquals("application/json; charset=utf-8", enqueued.headers().firstValue("Content-Type").orElseThrow());
        String id = EmulatorTestSupport.messageId(enqueued);
        assertEquals(0, status(CSV_JOB, id).path("DataJobStatus").path("DataJobState").asInt());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> status(CSV_JOB, id).path("DataJobStatus").path("DataJobState").asInt() == 4);

        JsonNode status = EmulatorTestSupport.awaitTerminal(http, emulator, token, CSV_JOB, id);

        JsonNode job = status.get("DataJobStatus");
        assertEquals(5, job.get("DataJobState").asInt(), status.toString());
        assertEquals("Customer groups", job.get("DataProject").asText());
        assertEquals(id, job.get("DataJobIdentifier").asText());
        assertEquals("groups.csv", job.get("ExternalIdentifier").asText());
        assertTrue(job.get("ExecutionIdentifier").asText().startsWith("Customer groups-"));
        assertFalse(job.get("DataJobStartedDateTime").isNull());
        assertFalse(job.get("DataJobCompletedDateTime").isNull());
        JsonNode detail = status.get("ExecutionDetail").get(0);
        assertEquals("Customer groups", detail.get("EntityName").asText());
        assertEquals("usmf", detail.get("Company").asText());
        assertEquals(3, detail.get("StagingRecords").asInt());
        assertEquals(4, detail.get("StagingStatus").asInt());
        assertEquals(0, detail.get("StagingErrorCount").asInt());
        assertEquals(3, detail.get("TargetRecords").asInt());
        assertEquals(4, detail.get("TargetStatus").asInt());
        assertEquals(0, detail.get("TargetErrorCount").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("3 records read, 3 imported, 0 failed"));

        EmulatorMessage message = emulator.message(id).orElseThrow();
        assertEquals(APP_ID, message.appId());
        assertEquals(csv.length, message.size());
        assertEquals("Customer groups", message.entity());
        assertEquals(DataJobState.PROCESSED, message.state());
        assertEquals(new String(csv, StandardCharsets.UTF_8), Files.readString(message.bodyPath()));
    }

    @Test
    void aCsvRowWithAnEmptyRequiredValueFailsAtTarget() throws Exception {
        JsonNode status = importFile(CSV_JOB, CUSTOMER_GROUPS, "CUSTOMERGROUPID,DESCRIPTION\n10,Retail\n20,\n30,Export\n");

        assertEquals(6, status.get("DataJobStatus").get("DataJobState").asInt());
        JsonNode detail = status.get("ExecutionDetail").get(0);
        assertEquals(3, detail.get("StagingRecords").asInt());
        assertEquals(2, detail.get("TargetRecords").asInt());
        assertEquals(1, detail.get("TargetErrorCount").asInt());
        assertEquals(3, detail.get("TargetStatus").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("Row 2 (line 3): column DESCRIPTION is empty."),
                status.get("ExecutionLog").asText());
    }

    @Test
    void aCsvRowWithTheWrongFieldCountFailsAtStaging() throws Exception {
        JsonNode status = importFile(CSV_JOB, CUSTOMER_GROUPS, "CUSTOMERGROUPID,DESCRIPTION\n10,Retail,extra\n20,Ok\n");

        assertEquals(6, status.get("DataJobStatus").get("DataJobState").asInt());
        JsonNode detail = status.get("ExecutionDetail").get(0);
        assertEquals(1, detail.get("StagingErrorCount").asInt());
        assertEquals(3, detail.get("StagingStatus").asInt());
        assertEquals(1, detail.get("TargetRecords").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("Row 1 (line 2): expected 2 fields but found 3."));
    }

    @Test
    void aMissingRequiredColumnIsAPreProcessErrorNamingIt() throws Exception {
        JsonNode status = importFile(CSV_JOB, CUSTOMER_GROUPS, "CUSTOMERGROUPID,NAME\n10,Retail\n");

        assertEquals(8, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("The file has no column DESCRIPTION (required)"),
                status.get("ExecutionLog").asText());
        assertEquals(3, status.get("ExecutionDetail").get(0).get("StagingStatus").asInt());
    }

    @Test
    void utf16SemicolonCsvWithQuotedLineBreaksIsRead() throws Exception {
        String text = "\"CustomerGroupId\";\"Description\"\r\n1;\"Line one\r\nline two; still one field\"\r\n2;\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        bytes.write(text.getBytes(StandardCharsets.UTF_16LE));

        JsonNode status = importFile(CSV_JOB, CUSTOMER_GROUPS, bytes.toByteArray());

        JsonNode detail = status.get("ExecutionDetail").get(0);
        assertEquals(2, detail.get("StagingRecords").asInt(), status.toString());
        assertEquals(1, detail.get("TargetErrorCount").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("Row 2 (line 4): column DESCRIPTION is empty."),
                status.get("ExecutionLog").asText());
    }

    @Test
    void anEmptyFileIsAPreProcessError() throws Exception {
        JsonNode status = importFile(CSV_JOB, CUSTOMER_GROUPS, "");

        assertEquals(8, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("The file is empty."));
    }

    @Test
    void anEntityOtherThanTheJobsIsAPreProcessError() throws Exception {
        JsonNode status = importFile(CSV_JOB, "?entity=Vendor%20groups", "VENDORGROUPID,DESCRIPTION\n1,x\n");

        assertEquals(8, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("Entity 'Vendor groups' is not part of recurring job"));
    }

    @Test
    void xmlWithElementAndAttributeRecordsIsProcessed() throws Exception {
        String xml = """
                <?xml version="1.0" encoding="utf-8"?>
                <Document>
                  <VENDORGROUPS><VENDORGROUPID>10</VENDORGROUPID><DESCRIPTION>Local</DESCRIPTION></VENDORGROUPS>
                  <VENDORGROUPS VENDORGROUPID="20" DESCRIPTION="Foreign"/>
                </Document>
                """;

        JsonNode status = importFile(XML_JOB, VENDOR_GROUPS, xml);

        assertEquals(5, status.get("DataJobStatus").get("DataJobState").asInt(), status.toString());
        assertEquals(2, status.get("ExecutionDetail").get(0).get("TargetRecords").asInt());
        assertEquals("DAT", status.get("ExecutionDetail").get(0).get("Company").asText());
    }

    @Test
    void anXmlRecordWithoutARequiredFieldFails() throws Exception {
        String xml = "<Document>\n<VENDORGROUPS><VENDORGROUPID>10</VENDORGROUPID><DESCRIPTION>A</DESCRIPTION>"
                + "</VENDORGROUPS>\n<VENDORGROUPS><VENDORGROUPID>11</VENDORGROUPID></VENDORGROUPS>\n</Document>";

        JsonNode status = importFile(XML_JOB, VENDOR_GROUPS, xml);

        assertEquals(6, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("Row 2 (line 3): column DESCRIPTION is missing."),
                status.get("ExecutionLog").asText());
    }

    @Test
    void malformedXmlIsAPreProcessErrorWithTheParsersMessage() throws Exception {
        JsonNode status = importFile(XML_JOB, VENDOR_GROUPS, "<Document>\n<VENDORGROUPS><VENDORGROUPID>1</VENDORGROUPS>");

        assertEquals(8, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("The XML file cannot be parsed (line 2"),
                status.get("ExecutionLog").asText());
    }

    @Test
    void activityAndMessageIdsAreAcceptedInEverySpelling() throws Exception {
        String braced = "%7B" + CSV_JOB.toLowerCase() + "%7D";
        HttpResponse<String> enqueued = EmulatorTestSupport.enqueue(http, emulator, token,
                "/en/api/connector/enqueue/" + braced + CUSTOMER_GROUPS, "CUSTOMERGROUPID,DESCRIPTION\n1,a\n"
                        .getBytes(StandardCharsets.UTF_8), null);
        assertEquals(200, enqueued.statusCode(), enqueued.body());
        String id = EmulatorTestSupport.messageId(enqueued);

        HttpResponse<String> r = EmulatorTestSupport.get(http, emulator, token, "/EN-us/API/Connector/JobStatus/"
                + CSV_JOB.toUpperCase() + "?JOBID=%22%7B" + id.toUpperCase() + "%7D%22");

        assertEquals(200, r.statusCode(), r.body());
        assertEquals(id, Json.MAPPER.readTree(r.body()).get("DataJobStatus").get("DataJobIdentifier").asText());
    }

    private static JsonNode importFile(String job, String query, String content) throws Exception {
        return importFile(job, query, content.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode importFile(String job, String query, byte[] content) throws Exception {
        HttpResponse<String> r = EmulatorTestSupport.enqueue(http, emulator, token,
                "/api/connector/enqueue/" + job + query, content, "file");
        assertEquals(200, r.statusCode(), r.body());
        return EmulatorTestSupport.awaitTerminal(http, emulator, token, job, EmulatorTestSupport.messageId(r));
    }

    private static JsonNode status(String job, String id) throws Exception {
        HttpResponse<String> r = EmulatorTestSupport.get(http, emulator, token,
                "/api/connector/jobstatus/" + job + "?jobId=" + id);
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }
}
