package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.rip.emulator.EmulatorMessage;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** File-mode import jobs end to end: the example routes/, the real runner, the embedded emulator over HTTPS. */
class ImportFilesIT {

    private static final Path SAMPLES = Path.of("docs/samples");

    @TempDir
    Path data;
    PackRunner runner;

    @BeforeEach
    void start() throws Exception {
        runner = new PackRunner(data).start();
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
    }

    @Test
    void csv_file_is_enqueued_processed_and_archived_with_a_report() throws Exception {
        Path job = runner.job("customer-groups");
        Files.copy(SAMPLES.resolve("customer-groups.csv"), job.resolve("inbox/customer-groups.csv"));

        assertThat(runner.awaitOutcome("customer-groups", "customer-groups.csv")).startsWith("processed");
        Path processed = job.resolve("processed/customer-groups.csv");

        assertThat(Files.readAllBytes(processed)).isEqualTo(Files.readAllBytes(SAMPLES.resolve("customer-groups.csv")));
        assertThat(job.resolve("inbox/customer-groups.csv")).doesNotExist();
        String report = Files.readString(job.resolve("processed/customer-groups.csv.report.txt"));
        assertThat(report).contains("PROCESSED").contains("Customer groups").contains("4 records");

        ImportRecord row = runner.journal().latest("customer-groups", "customer-groups.csv").orElseThrow();
        assertThat(row.state()).isEqualTo(State.PROCESSED);
        assertThat(row.messageId()).isNotBlank();
        assertThat(row.sha256()).hasSize(64);

        EmulatorMessage received = runner.emulator().messages().stream()
                .filter(m -> m.id().equalsIgnoreCase(row.messageId())).findFirst().orElseThrow();
        assertThat(received.externalIdentifier()).isEqualTo("customer-groups.csv");
        assertThat(received.entity()).isEqualTo("Customer groups");
        assertThat(received.company()).isEqualTo("usmf");
        assertThat(Files.readAllBytes(received.bodyPath())).isEqualTo(Files.readAllBytes(processed));
    }

    @Test
    void xml_file_is_transformed_by_xslt_before_upload() throws Exception {
        Path job = runner.job("vendor-groups");
        Files.copy(SAMPLES.resolve("vendor-groups.xml"), job.resolve("inbox/vendor-groups.xml"));

        assertThat(runner.awaitOutcome("vendor-groups", "vendor-groups.xml")).startsWith("processed");
        Path processed = job.resolve("processed/vendor-groups.xml");

        // the archive keeps what the partner sent; D365 received the transformed document
        assertThat(Files.readString(processed)).contains("<VendorGroups>");
        ImportRecord row = runner.journal().latest("vendor-groups", "vendor-groups.xml").orElseThrow();
        EmulatorMessage received = runner.emulator().messages().stream()
                .filter(m -> m.id().equalsIgnoreCase(row.messageId())).findFirst().orElseThrow();
        String sent = Files.readString(received.bodyPath());
        assertThat(sent).contains("<Document>").contains("<VENDORGROUPID>10</VENDORGROUPID>")
                .contains("<DESCRIPTION>Logistics partners</DESCRIPTION>");
        assertThat(Files.readString(job.resolve("processed/vendor-groups.xml.report.txt"))).contains("3 records");
        assertThat(job.resolve("work")).isEmptyDirectory();
    }

    @Test
    void a_bad_row_ends_in_failed_with_a_report_naming_the_row() throws Exception {
        Path job = runner.job("customer-groups");
        Files.copy(SAMPLES.resolve("customer-groups-bad-row.csv"), job.resolve("inbox/customer-groups-bad-row.csv"));

        String report = runner.awaitOutcome("customer-groups", "customer-groups-bad-row.csv");
        assertThat(report).startsWith("failed").contains("FAILED").contains("ProcessedWithErrors").contains("CUSTOMERGROUPID").containsPattern("[Rr]ow 2");
        assertThat(runner.journal().latest("customer-groups", "customer-groups-bad-row.csv").orElseThrow().state())
                .isEqualTo(State.FAILED);
    }

    @Test
    void the_same_file_dropped_again_is_rejected_as_a_duplicate() throws Exception {
        Path job = runner.job("customer-groups");
        Files.copy(SAMPLES.resolve("customer-groups.csv"), job.resolve("inbox/groups.csv"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(job.resolve("processed/groups.csv")));

        Files.copy(SAMPLES.resolve("customer-groups.csv"), job.resolve("inbox/groups.csv"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(job.resolve("failed/groups.csv.report.txt")));

        assertThat(Files.readString(job.resolve("failed/groups.csv.report.txt"))).contains("Duplicate");
        assertThat(runner.emulator().messages()).hasSize(1);
    }
}
