package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.EmulatorMessage;
import io.github.rip.emulator.Endpoint;
import io.github.rip.emulator.PackageExecution;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Package API imports end to end (d365-package-api-import): the real runner uploads to the emulator's blob endpoint
 * and imports through ImportFromPackage over HTTPS; the status monitor follows GetExecutionSummaryStatus.
 */
class PackageApiImportIT {

    private static final String JOB = "groups-api";

    @TempDir
    static Path data;
    static PackRunner runner;
    static D365Emulator emulator;
    static Path job;

    @BeforeAll
    static void start() throws Exception {
        Path routes = data.resolve("routes");
        job = data.resolve("import/" + JOB);
        PackageApiJobs.write(routes, "d365-package-api-import", JOB, Map.of("definitionGroup",
                PackageApiJobs.IMPORT_PROJECT, "company", "usmf", "jobFolder", job.toString()));
        PackageApiJobs.write(routes, "d365-package-api-import", "nowhere-api", Map.of("definitionGroup",
                "No such project", "jobFolder", data.resolve("import/nowhere-api").toString()));
        PackageApiJobs.write(routes, "d365-package-api-import", "groups-api-by-name", Map.of("definitionGroup",
                PackageApiJobs.IMPORT_PROJECT, "companyFrom", "name:(?<company>[a-z]{4})_.*", "jobFolder",
                data.resolve("import/groups-api-by-name").toString()));
        runner = new PackRunner(data).set("rip.routes-dir", routes.toString()).start();
        emulator = runner.emulator();
    }

    @AfterEach
    void noTokenEverReachedTheBlobEndpoint() {
        emulator.faults().clear();
        emulator.blobUrlLifetime(Duration.ofHours(1));
        assertThat(emulator.blobRequestsWithBearerToken()).as("bearer tokens sent to blob storage").isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        runner.close();
    }

    @Test
    void a_package_is_uploaded_to_blob_storage_imported_and_archived_as_processed() throws Exception {
        int imports = emulator.requestCount(Endpoint.IMPORT_FROM_PACKAGE);
        Path dropped = PackageApiJobs.dropPackage(data, job.resolve("inbox"), "groups-1.zip",
                "10,Retail\r\n20,Wholesale\r\n");
        byte[] sent = Files.readAllBytes(dropped);

        String outcome = runner.awaitOutcome(JOB, "groups-1.zip");

        assertThat(outcome).startsWith("processed").contains("PROCESSED").contains("Succeeded")
                .contains("data project " + PackageApiJobs.IMPORT_PROJECT + ", package API");
        assertThat(job.resolve("processed/groups-1.zip")).hasBinaryContent(sent);
        ImportRecord row = runner.journal().latest(JOB, "groups-1.zip").orElseThrow();
        assertThat(row.d365Api()).isEqualTo(ImportJournal.PACKAGE_API);
        assertThat(row.state()).isEqualTo(ImportJournal.State.PROCESSED);
        assertThat(outcome).contains("Execution:   " + row.messageId());
        PackageExecution execution = emulator.packageExecution(row.messageId()).orElseThrow();
        assertThat(execution.definitionGroup()).isEqualTo(PackageApiJobs.IMPORT_PROJECT);
        assertThat(execution.legalEntity()).isEqualTo("usmf");
        EmulatorMessage imported = emulator.message(execution.messageId()).orElseThrow();
        assertThat(Files.readAllBytes(imported.bodyPath())).as("what D365 imported is the dropped package")
                .isEqualTo(sent);
        assertThat(imported.outcome().entities()).singleElement()
                .satisfies(e -> assertThat(e.targetRecords()).isEqualTo(2));
        assertThat(emulator.requestCount(Endpoint.IMPORT_FROM_PACKAGE)).isEqualTo(imports + 1);
        assertThat(emulator.requestCount(Endpoint.ENQUEUE)).as("no recurring data job involved").isZero();
    }

    @Test
    void a_name_token_is_the_legal_entity_of_the_import() throws Exception {
        Path byName = data.resolve("import/groups-api-by-name");
        PackageApiJobs.dropPackage(data, byName.resolve("inbox"), "demf_groups.zip", "10,Retail\r\n");

        assertThat(runner.awaitOutcome("groups-api-by-name", "demf_groups.zip")).startsWith("processed")
                .contains("Company:     DEMF");
        ImportRecord row = runner.journal().latest("groups-api-by-name", "demf_groups.zip").orElseThrow();
        assertThat(row.company()).isEqualTo("DEMF");
        assertThat(emulator.packageExecution(row.messageId()).orElseThrow().legalEntity()).isEqualTo("DEMF");
    }

    @Test
    void an_upload_cut_half_way_is_retried_with_a_new_url_and_imported_once() throws Exception {
        int imports = emulator.requestCount(Endpoint.IMPORT_FROM_PACKAGE);
        int uploads = emulator.requestCount(Endpoint.BLOB_UPLOAD);
        int executions = emulator.packageExecutions().size();
        emulator.faults().cutUploadNext(Endpoint.BLOB_UPLOAD, 1);
        // big enough that the cut really lands in the middle of the body
        PackageApiJobs.dropPackage(data, job.resolve("inbox"), "groups-cut.zip", rows(20_000));

        assertThat(runner.awaitOutcome(JOB, "groups-cut.zip")).startsWith("processed");

        assertThat(emulator.requestCount(Endpoint.BLOB_UPLOAD) - uploads).isEqualTo(2);
        assertThat(emulator.requestCount(Endpoint.IMPORT_FROM_PACKAGE) - imports).as("imported once").isEqualTo(1);
        assertThat(emulator.packageExecutions()).hasSize(executions + 1);
        ImportRecord row = runner.journal().latest(JOB, "groups-cut.zip").orElseThrow();
        assertThat(row.possibleDuplicates()).isZero();
    }

    @Test
    void a_row_without_its_required_value_ends_partially_succeeded_in_failed_with_the_error_reported() throws Exception {
        PackageApiJobs.dropPackage(data, job.resolve("inbox"), "groups-partial.zip", "10,Retail\r\n20,\r\n");

        String outcome = runner.awaitOutcome(JOB, "groups-partial.zip");

        assertThat(outcome).startsWith("failed").contains("FAILED - D365 reported PartiallySucceeded")
                .contains("GetExecutionErrors").contains("Customer groups: record 2").contains("DESCRIPTION");
        assertThat(job.resolve("failed/groups-partial.zip")).exists();
        assertThat(runner.journal().latest(JOB, "groups-partial.zip").orElseThrow().d365State())
                .isEqualTo("PartiallySucceeded");
    }

    @Test
    void a_package_whose_every_row_fails_ends_failed_with_every_error_reported() throws Exception {
        PackageApiJobs.dropPackage(data, job.resolve("inbox"), "groups-bad.zip", "10,\r\n20,\r\n");

        String outcome = runner.awaitOutcome(JOB, "groups-bad.zip");

        assertThat(outcome).startsWith("failed").contains("FAILED - D365 reported Failed")
                .contains("record 1").contains("record 2");
    }

    @Test
    void an_expired_blob_url_keeps_the_file_in_the_inbox_with_the_reason_and_a_new_url_imports_it_later()
            throws Exception {
        int imports = emulator.requestCount(Endpoint.IMPORT_FROM_PACKAGE);
        emulator.blobUrlLifetime(Duration.ofSeconds(-1));
        Path dropped = PackageApiJobs.dropPackage(data, job.resolve("inbox"), "groups-late.zip", "30,Export\r\n");

        await().atMost(Duration.ofSeconds(30)).until(() -> runner.journal().latest(JOB, "groups-late.zip")
                .map(r -> r.retryAt() != null).orElse(false));
        ImportRecord waiting = runner.journal().latest(JOB, "groups-late.zip").orElseThrow();
        assertThat(waiting.state()).isEqualTo(ImportJournal.State.CLAIMED);
        assertThat(waiting.httpStatus()).isEqualTo(403);
        assertThat(waiting.lastError()).contains("AuthenticationFailed").contains("sig=***")
                .doesNotContainPattern("sig=[^*]");
        assertThat(dropped).as("waits in the inbox for its next attempt").exists();
        assertThat(emulator.requestCount(Endpoint.IMPORT_FROM_PACKAGE)).isEqualTo(imports);

        emulator.blobUrlLifetime(Duration.ofHours(1));
        assertThat(runner.awaitOutcome(JOB, "groups-late.zip")).startsWith("processed");
        assertThat(emulator.requestCount(Endpoint.IMPORT_FROM_PACKAGE)).isEqualTo(imports + 1);
    }

    @Test
    void the_dashboard_lists_the_job_with_its_data_project() {
        com.fasterxml.jackson.databind.JsonNode job = new DashboardClient(runner.baseUrl()).get("/api/jobs/" + JOB)
                .json();

        assertThat(job.path("template").asText()).isEqualTo("d365-package-api-import");
        assertThat(job.path("kind").asText()).isEqualTo("import");
        assertThat(job.path("source").asText()).isEqualTo("package API");
        assertThat(job.path("activityId").asText()).isEqualTo(PackageApiJobs.IMPORT_PROJECT);
        assertThat(job.path("location").asText()).endsWith(JOB + "/inbox");
    }

    @Test
    void an_unknown_data_project_sends_the_file_to_failed_at_once_with_d365s_answer() throws Exception {
        PackageApiJobs.dropPackage(data, data.resolve("import/nowhere-api/inbox"), "groups.zip", "1,A\r\n");

        String report = runner.awaitOutcome("nowhere-api", "groups.zip");

        assertThat(report).startsWith("failed").contains("ImportFromPackage answered HTTP 400")
                .contains("No such project");
    }

    private static String rows(int count) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < count; i++) {
            rows.append("G").append(i).append(",Group number ").append(i).append("\r\n");
        }
        return rows.toString();
    }
}
