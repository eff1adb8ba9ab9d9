package io.github.rip.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.Endpoint;
import io.github.rip.emulator.PackageExecution;
import io.github.rip.journal.ExportJournal.State;
import io.github.rip.journal.ExportRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rip.it.ExportFixtures.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Package API exports end to end (d365-package-api-export): the real runner starts ExportToPackage at the emulator,
 * follows GetExecutionSummaryStatus, downloads the package from the emulator's blob endpoint and delivers it.
 */
class PackageApiExportIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void an_export_execution_is_downloaded_without_a_token_unzipped_and_delivered_once() throws Exception {
        Path out = data.resolve("out");
        try (PackRunner runner = runner("groups-out", out, "3600000", Map.of("unzip", "true")).start()) {
            D365Emulator emulator = runner.emulator();

            await().atMost(WAIT).until(() -> !files(out).isEmpty() && rows(runner, "groups-out").stream()
                    .anyMatch(r -> r.state() == State.ACKED));

            List<PackageExecution> executions = emulator.packageExecutions();
            assertThat(executions).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(PackageExecution.Kind.EXPORT);
                assertThat(e.definitionGroup()).isEqualTo(PackageApiJobs.EXPORT_PROJECT);
                assertThat(e.legalEntity()).isEqualTo("usmf");
            });
            ExportRecord row = rows(runner, "groups-out").get(0);
            assertThat(row.correlationId()).isEqualTo(executions.get(0).executionId());
            assertThat(row.activityId()).isEqualTo(PackageApiJobs.EXPORT_PROJECT);
            assertThat(row.filesWritten()).isEqualTo(1);
            Path csv = files(out).get(0);
            assertThat(csv.getFileName().toString()).startsWith("Customer groups_").endsWith("_"
                    + row.correlationId() + ".csv");
            List<String> lines = new String(Files.readAllBytes(csv), StandardCharsets.UTF_16LE).substring(1).lines()
                    .toList();
            assertThat(lines.get(0)).isEqualTo("CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID");
            assertThat(lines).hasSize(26); // the emulator's 25 rows per entity (application.properties)
            assertThat(emulator.requestCount(Endpoint.BLOB_DOWNLOAD)).isEqualTo(1);
            assertThat(emulator.requestCount(Endpoint.DEQUEUE)).as("no recurring data job's queue").isZero();
            assertThat(emulator.blobRequestsWithBearerToken()).as("bearer tokens sent to blob storage").isZero();
            assertThat(ExportFixtures.allFiles(data.resolve("export/groups-out/work"))).isEmpty();
            com.fasterxml.jackson.databind.JsonNode job = new DashboardClient(runner.baseUrl())
                    .get("/api/jobs/groups-out").json();
            assertThat(job.path("template").asText()).isEqualTo("d365-package-api-export");
            assertThat(job.path("activityId").asText()).isEqualTo(PackageApiJobs.EXPORT_PROJECT);
            assertThat(job.path("schedule").asText()).isEqualTo("polls every 1h");
        }
    }

    @Test
    void an_expired_package_url_ends_the_poll_and_the_next_poll_fetches_the_same_execution_with_a_new_url()
            throws Exception {
        Path out = data.resolve("out");
        try (PackRunner runner = runner("groups-late", out, "1500", Map.of())) {
            runner.start();
            D365Emulator emulator = runner.emulator();
            emulator.blobUrlLifetime(Duration.ofSeconds(-1));

            await().atMost(WAIT).until(() -> rows(runner, "groups-late").stream()
                    .anyMatch(r -> r.httpStatus() != null && r.httpStatus() == 403));
            ExportRecord waiting = rows(runner, "groups-late").get(0);
            assertThat(waiting.state()).isEqualTo(State.DEQUEUED);
            assertThat(waiting.lastError()).contains("AuthenticationFailed").contains("sig=***")
                    .doesNotContainPattern("sig=[^*]");
            assertThat(files(out)).isEmpty();

            emulator.blobUrlLifetime(Duration.ofHours(1));
            await().atMost(WAIT).until(() -> runner.context() != null && ExportFixtures.journal(runner)
                    .find(waiting.id()).map(r -> r.state() == State.ACKED).orElse(false));

            assertThat(emulator.packageExecution(waiting.correlationId())).isPresent();
            assertThat(files(out)).as("the zip of that execution, delivered once")
                    .filteredOn(f -> f.getFileName().toString().contains(waiting.correlationId())).hasSize(1);
            assertThat(ExportFixtures.journal(runner).find(waiting.id()).orElseThrow().filesWritten()).isEqualTo(1);
            assertThat(emulator.packageExecutions().get(0).executionId())
                    .as("no second export was started while the first was not delivered")
                    .isEqualTo(waiting.correlationId());
            assertThat(emulator.blobRequestsWithBearerToken()).isZero();
        }
    }

    /** A runner with one package API export job to {@code out}, polling every {@code interval} ms. */
    private PackRunner runner(String job, Path out, String interval, Map<String, String> extra) {
        Path routes = data.resolve("routes");
        Map<String, String> params = new java.util.LinkedHashMap<>(Map.of("definitionGroup",
                PackageApiJobs.EXPORT_PROJECT, "company", "usmf", "jobFolder", data.resolve("export/" + job).toString(),
                "target", "file:" + out, "pollInterval", interval, "statusPollInterval", "100"));
        params.putAll(extra);
        PackageApiJobs.write(routes, "d365-package-api-export", job, params);
        return ExportFixtures.runner(data, routes);
    }

    private static List<ExportRecord> rows(PackRunner runner, String job) {
        return ExportFixtures.journal(runner).recent(job, 10).stream()
                .sorted(java.util.Comparator.comparingLong(ExportRecord::id)).toList();
    }
}
