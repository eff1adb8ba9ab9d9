package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.APP_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data management package API and its blob endpoint, spoken to over HTTPS as a client would. */
class PackageApiTest {

    static final String ACTIONS = "/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.";
    static final String EXPORT_JOB = "6d31e09f-0000-4000-8000-0000000000e1";

    @TempDir
    static Path dataDir;
    static D365Emulator emulator;
    static HttpClient http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir)
                .job(RecurringJob.packageExport(EXPORT_JOB, "Customer groups export", List.of(new ExportEntity(
                        "Customer groups", List.of("CUSTOMERGROUPID", "DESCRIPTION"), null)), Set.of(APP_ID)))
                .build());
        http = EmulatorTestSupport.httpClient(emulator);
        token = EmulatorTestSupport.token(emulator);
    }

    @AfterEach
    void normalBlobUrls() {
        emulator.blobUrlLifetime(Duration.ofHours(1));
        emulator.faults().clear();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aPackageUploadedToTheWriteUrlIsImportedAndSucceeds() throws Exception {
        int tokensAtBlobs = emulator.blobRequestsWithBearerToken();
        String url = writeUrl();
        assertThat(url).startsWith(emulator.baseUrl() + "/blob/dmf/").contains("sp=w").contains("sig=");
        assertThat(put(url, validPackage("10,Retail\r\n20,Export\r\n"), null).statusCode()).isEqualTo(201);

        String executionId = value(action("ImportFromPackage", importBody(url, "rip-test-1")));
        assertThat(executionId).isEqualTo("rip-test-1");

        assertThat(awaitTerminal(executionId)).isEqualTo("Succeeded");
        assertThat(value(action("GetExecutionErrors", "{\"executionId\":\"rip-test-1\"}"))).isEqualTo("[]");
        EmulatorMessage processed = emulator.message(emulator.packageExecution(executionId).orElseThrow().messageId())
                .orElseThrow();
        assertThat(processed.outcome().entities()).singleElement()
                .satisfies(e -> assertThat(e.targetRecords()).isEqualTo(2));
        assertThat(emulator.blobRequestsWithBearerToken()).isEqualTo(tokensAtBlobs);
    }

    @Test
    void aRowWithoutItsRequiredValueEndsPartiallySucceededWithTheErrorListed() throws Exception {
        String url = writeUrl();
        put(url, validPackage("10,Retail\r\n20,\r\n"), null);
        String executionId = value(action("ImportFromPackage", importBody(url, "")));
        assertThat(executionId).as("made by the emulator when none is given").startsWith("Master data-");

        assertThat(awaitTerminal(executionId)).isEqualTo("PartiallySucceeded");
        JsonNode errors = Json.MAPPER.readTree(value(action("GetExecutionErrors", "{\"executionId\":\""
                + executionId + "\"}")));
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("EntityName").asText()).isEqualTo("Customer groups");
        assertThat(errors.get(0).path("RecordId").asText()).isEqualTo("2");
        assertThat(errors.get(0).path("ErrorMessage").asText()).contains("DESCRIPTION");
    }

    @Test
    void aPackageWithoutItsHeaderFailsAndItsErrorsSayWhy() throws Exception {
        String url = writeUrl();
        put(url, new PackageImportTest.Package().entity("Customer groups", "groups.csv", "CSV", "1.1.1", false,
                "CUSTOMERGROUPID", "DESCRIPTION").file("groups.csv", "CUSTOMERGROUPID,DESCRIPTION\r\n1,A\r\n")
                .withoutHeader().zip(), null);
        String executionId = value(action("ImportFromPackage", importBody(url, "rip-test-broken")));

        assertThat(awaitTerminal(executionId)).isEqualTo("Failed");
        assertThat(value(action("GetExecutionErrors", "{\"executionId\":\"rip-test-broken\"}")))
                .contains("PackageHeader.xml");
    }

    @Test
    void anExpiredOrTamperedUrlIsRefusedAsAzureRefusesIt() throws Exception {
        emulator.blobUrlLifetime(Duration.ofSeconds(-1));
        HttpResponse<String> expired = put(writeUrl(), validPackage("1,A\r\n"), null);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("<Code>AuthenticationFailed</Code>")
                .contains("Signature not valid in the specified time frame");

        emulator.blobUrlLifetime(Duration.ofHours(1));
        String tampered = writeUrl().replace("sp=w", "sp=rw");
        assertThat(put(tampered, validPackage("1,A\r\n"), null).body()).contains("Signature did not match");
        String readWithWriteUrl = writeUrl();
        put(readWithWriteUrl, validPackage("1,A\r\n"), null);
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(readWithWriteUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(read.body()).contains("AuthorizationPermissionMismatch");
    }

    @Test
    void aBearerTokenAtTheBlobEndpointIsRefusedAndCounted() throws Exception {
        int before = emulator.blobRequestsWithBearerToken();
        HttpResponse<String> answer = put(writeUrl(), validPackage("1,A\r\n"), token);
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).doesNotContain(token);
        assertThat(emulator.blobRequestsWithBearerToken()).isEqualTo(before + 1);
    }

    @Test
    void anUploadWithoutTheBlobTypeOrCutHalfWayLeavesNoPackageToImport() throws Exception {
        String url = writeUrl();
        HttpResponse<String> noType = http.send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(validPackage("1,A\r\n"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(noType.body()).contains("MissingRequiredHeader");

        emulator.faults().cutUploadNext(Endpoint.BLOB_UPLOAD, 1);
        byte[] big = validPackage("1,A\r\n".repeat(20_000));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            put(url, big, null);
        } catch (java.io.IOException e) {
            failure.set(e);
        }
        assertThat(failure.get()).as("the client sees the upload break off").isNotNull();
        HttpResponse<String> refused = action("ImportFromPackage", importBody(url, "rip-test-cut"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("was not found in storage").doesNotContain("sig=");
        assertThat(emulator.packageExecution("rip-test-cut")).isEmpty();
    }

    @Test
    void anExportIsExecutingThenItsPackageUrlServesTheGeneratedPackage() throws Exception {
        String executionId = value(action("ExportToPackage", "{\"definitionGroupId\":\"Customer groups export\","
                + "\"packageName\":\"groups\",\"executionId\":\"rip-export-1\",\"reExecute\":false,"
                + "\"legalEntityId\":\"usmf\"}"));
        assertThat(executionId).isEqualTo("rip-export-1");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            String status = value(action("GetExecutionSummaryStatus", "{\"executionId\":\"rip-export-1\"}"));
            if (status.equals("Executing")) {
                assertThat(value(action("GetExportedPackageUrl", "{\"executionId\":\"rip-export-1\"}")))
                        .as("no package URL while the export executes").isEmpty();
                return false;
            }
            assertThat(status).isEqualTo("Succeeded");
            return true;
        });
        String url = value(action("GetExportedPackageUrl", "{\"executionId\":\"rip-export-1\"}"));
        assertThat(url).contains("/blob/dmf/").contains("sp=r");
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName());
            }
        }
        assertThat(entries).contains("Manifest.xml", "PackageHeader.xml", "Customer groups.csv");
    }

    @Test
    void unknownProjectsAndExecutionsAndMissingTokensAreRefused() throws Exception {
        HttpResponse<String> project = action("ExportToPackage", "{\"definitionGroupId\":\"No such project\"}");
        assertThat(project.statusCode()).isEqualTo(400);
        assertThat(project.body()).contains("No such project").contains("does not exist");
        HttpResponse<String> execution = action("GetExecutionSummaryStatus", "{\"executionId\":\"nope\"}");
        assertThat(execution.statusCode()).isEqualTo(400);
        assertThat(execution.body()).contains("were not found");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + ACTIONS
                + "GetAzureWriteUrl")).POST(HttpRequest.BodyPublishers.ofString("{\"uniqueFileName\":\"x\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private static String writeUrl() throws Exception {
        String value = value(action("GetAzureWriteUrl", "{\"uniqueFileName\":\"" + java.util.UUID.randomUUID()
                + "\"}"));
        JsonNode result = Json.MAPPER.readTree(value);
        assertThat(result.path("BlobId").asText()).startsWith("{");
        return result.path("BlobUrl").asText();
    }

    private static String importBody(String url, String executionId) {
        return "{\"packageUrl\":\"" + url + "\",\"definitionGroupId\":\"Master data\",\"executionId\":\""
                + executionId + "\",\"execute\":true,\"overwrite\":true,\"legalEntityId\":\"usmf\"}";
    }

    private static byte[] validPackage(String rows) throws Exception {
        return new PackageImportTest.Package().entity("Customer groups", "groups.csv", "CSV", "1.1.1", false,
                "CUSTOMERGROUPID", "DESCRIPTION").file("groups.csv", "CUSTOMERGROUPID,DESCRIPTION\r\n" + rows).zip();
    }

    private static HttpResponse<String> put(String url, byte[] body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("x-ms-blob-type", "BlockBlob");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> action(String name, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + ACTIONS + name))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String value(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(answer.body());
        assertThat(body.path("@odata.context").asText()).contains("/data/$metadata#");
        return body.path("value").asText();
    }

    private static String awaitTerminal(String executionId) {
        AtomicReference<String> status = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            status.set(value(action("GetExecutionSummaryStatus", "{\"executionId\":\"" + executionId + "\"}")));
            return !Set.of("NotRun", "Executing", "Unknown").contains(status.get());
        });
        return status.get();
    }
}
