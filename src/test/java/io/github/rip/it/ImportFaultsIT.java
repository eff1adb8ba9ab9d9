package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.rip.emulator.Endpoint;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** D365 misbehaving on enqueue (emulator fault injection): what is retried, what fails at once, what is counted. */
class ImportFaultsIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");

    @TempDir
    Path data;
    PackRunner runner;
    Path job;

    @BeforeEach
    void start() throws Exception {
        runner = new PackRunner(data).start();
        job = runner.job("customer-groups");
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
    }

    @Test
    void server_errors_are_retried_in_place_and_the_file_is_imported_once() throws Exception {
        runner.emulator().faults().failNext(Endpoint.ENQUEUE, 503, 2);
        Files.copy(SAMPLE, job.resolve("inbox/groups.csv"));

        assertThat(runner.awaitOutcome("customer-groups", "groups.csv")).startsWith("processed");
        assertThat(runner.emulator().requestCount(Endpoint.ENQUEUE)).isEqualTo(3);
        assertThat(runner.emulator().messages()).hasSize(1);
        assertThat(row("groups.csv").possibleDuplicates()).isZero();
    }

    @Test
    void throttling_waits_for_retry_after() throws Exception {
        runner.emulator().faults().throttleNext(Endpoint.ENQUEUE, 1, 2);
        Instant dropped = Instant.now();
        Files.copy(SAMPLE, job.resolve("inbox/groups.csv"));

        assertThat(runner.awaitOutcome("customer-groups", "groups.csv")).startsWith("processed");
        Instant accepted = runner.emulator().messages().get(0).receivedAt();
        // the in-place retry delay is 100 ms in tests: only Retry-After: 2 explains a 2 s gap
        assertThat(Duration.between(dropped, accepted)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(runner.emulator().requestCount(Endpoint.ENQUEUE)).isEqualTo(2);
    }

    @Test
    void a_lost_answer_is_retried_and_counted_as_a_possible_duplicate() throws Exception {
        runner.emulator().faults().dropResponseNext(Endpoint.ENQUEUE, 1);
        Files.copy(SAMPLE, job.resolve("inbox/groups.csv"));

        String outcome = runner.awaitOutcome("customer-groups", "groups.csv");
        assertThat(outcome).startsWith("processed").contains("may hold an extra copy");
        assertThat(row("groups.csv").possibleDuplicates()).isEqualTo(1);
        assertThat(runner.emulator().messages()).as("D365 did keep the first copy").hasSize(2);
    }

    @Test
    void a_client_error_fails_at_once_with_status_and_body_in_the_report() throws Exception {
        runner.emulator().faults().failNext(Endpoint.ENQUEUE, 400, 1, Map.of("Content-Type", "application/json"),
                "{\"Message\":\"The request is invalid.\"}");
        Files.copy(SAMPLE, job.resolve("inbox/groups.csv"));

        String outcome = runner.awaitOutcome("customer-groups", "groups.csv");
        assertThat(outcome).startsWith("failed").contains("HTTP status: 400").contains("The request is invalid.");
        assertThat(runner.emulator().requestCount(Endpoint.ENQUEUE)).isEqualTo(1);
        assertThat(row("groups.csv").state()).isEqualTo(State.FAILED);
    }

    @Test
    void a_long_outage_keeps_the_file_in_the_inbox_until_d365_is_back() throws Exception {
        runner.emulator().faults().failNext(Endpoint.ENQUEUE, 500, 1000);
        Files.copy(SAMPLE, job.resolve("inbox/groups.csv"));

        await().atMost(Duration.ofSeconds(30)).until(() -> runner.journal().latest("customer-groups", "groups.csv")
                .map(r -> r.attempts() >= 2 && r.lastError() != null && r.lastError().contains("500")).orElse(false));
        assertThat(job.resolve("inbox/groups.csv")).exists();
        assertThat(row("groups.csv").state()).isEqualTo(State.CLAIMED);

        runner.emulator().faults().clear();
        assertThat(runner.awaitOutcome("customer-groups", "groups.csv")).startsWith("processed");
        assertThat(runner.emulator().messages()).hasSize(1);
    }

    private ImportRecord row(String file) {
        return runner.journal().latest("customer-groups", file).orElseThrow();
    }
}
