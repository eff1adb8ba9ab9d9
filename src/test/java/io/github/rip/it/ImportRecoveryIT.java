package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What survives what: files still being written, a D365 outage, and the runner dying in each crash window. */
class ImportRecoveryIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");

    @TempDir
    Path data;

    @Test
    void a_file_still_being_written_is_not_taken_early() throws Exception {
        try (PackRunner runner = new PackRunner(data).start()) {
            Path inbox = runner.job("customer-groups").resolve("inbox");
            StringBuilder expected = new StringBuilder("CUSTOMERGROUPID,DESCRIPTION\n");
            for (int i = 0; i < 20; i++) {
                expected.append(100 + i).append(",Slowly written group ").append(i).append('\n');
            }
            byte[] content = expected.toString().getBytes();
            // a partner writing 20 lines, one every 100 ms (the runner only takes files quiet for 300 ms)
            SlowWriter.write(inbox.resolve("slow.csv"), content, 20, 100);

            assertThat(runner.awaitOutcome("customer-groups", "slow.csv")).startsWith("processed").contains("20 records");
            assertThat(runner.emulator().messages()).hasSize(1);
            assertThat(Files.readAllBytes(runner.emulator().messages().get(0).bodyPath())).isEqualTo(content);
        }
    }

    @Test
    void d365_going_down_and_coming_back_loses_nothing() throws Exception {
        StandaloneEmulator emulator = new StandaloneEmulator(data.resolve("emulator"),
                b -> b.processingDelay(Duration.ofSeconds(2))).start();
        try (PackRunner runner = emulator.configure(new PackRunner(data.resolve("runner"))).start()) {
            Path job = runner.job("customer-groups");
            Files.copy(SAMPLE, job.resolve("inbox/before.csv"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(job.resolve("sent/before.csv")));

            emulator.stop(); // D365 down while before.csv is being processed and after.csv arrives
            Files.writeString(job.resolve("inbox/after.csv"), Files.readString(SAMPLE).replace("Net", "NET"));
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.journal().latest("customer-groups", "after.csv")
                    .map(r -> r.lastError() != null && r.retryAt() != null).orElse(false));
            assertThat(job.resolve("inbox/after.csv")).exists();
            assertThat(runner.journal().latest("customer-groups", "after.csv").orElseThrow().state()).isEqualTo(State.CLAIMED);

            emulator.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(job.resolve("processed/before.csv"))
                    && Files.exists(job.resolve("processed/after.csv")));
            assertThat(emulator.get().messages()).hasSize(2);
            assertThat(runner.journal().latest("customer-groups", "after.csv").orElseThrow().attempts()).isGreaterThan(1);
        } finally {
            emulator.close();
        }
    }

    @Test
    void a_crash_after_d365_accepted_the_file_but_before_it_moved_does_not_enqueue_it_again() throws Exception {
        Path job;
        String messageId;
        try (PackRunner runner = new PackRunner(data).start()) {
            job = runner.job("customer-groups");
            Files.copy(SAMPLE, job.resolve("inbox/groups.csv"));
            assertThat(runner.awaitOutcome("customer-groups", "groups.csv")).startsWith("processed");
            messageId = runner.journal().latest("customer-groups", "groups.csv").orElseThrow().messageId();
        }
        // Recreate the crash window: journal says ENQUEUED with an archive name, the file is still in the inbox.
        Files.move(job.resolve("processed/groups.csv"), job.resolve("inbox/groups.csv"));
        Files.delete(job.resolve("processed/groups.csv.report.txt"));
        try (PackRunner runner = new PackRunner(data).start()) {
            ImportRecord row = runner.journal().latest("customer-groups", "groups.csv").orElseThrow();
            runner.rewindToEnqueued(row.id(), messageId, job.resolve("sent/groups.csv").toString());

            assertThat(runner.awaitOutcome("customer-groups", "groups.csv")).startsWith("processed");
            assertThat(runner.emulator().requests().stream().filter(r -> r.contains("/enqueue/")))
                    .as("no enqueue after the restart").isEmpty();
            assertThat(runner.journal().latest("customer-groups", "groups.csv").orElseThrow().state())
                    .isEqualTo(State.PROCESSED);
        }
    }

    @Test
    void a_crash_while_the_request_was_in_flight_sends_it_again_and_says_so() throws Exception {
        Path job;
        try (PackRunner runner = new PackRunner(data).start()) {
            job = runner.job("customer-groups");
            // the runner took the file and sent the request, then died before the answer was recorded
            long id = runner.journal().claim("customer-groups", "groups.csv", job.resolve("inbox/groups.csv").toString(),
                    Files.size(SAMPLE), null, io.github.rip.support.Sha256.of(SAMPLE),
                    AuthenticationIT.activity("customer-groups"),
                    job.resolve("processed").toString(), job.resolve("failed").toString()).getAsLong();
            runner.journal().requestSent(id);
        }
        Files.copy(SAMPLE, job.resolve("inbox/groups.csv"));
        try (PackRunner runner = new PackRunner(data).start()) {
            assertThat(runner.awaitOutcome("customer-groups", "groups.csv")).startsWith("processed")
                    .contains("may hold an extra copy");
            ImportRecord row = runner.journal().latest("customer-groups", "groups.csv").orElseThrow();
            assertThat(row.possibleDuplicates()).isEqualTo(1);
            assertThat(row.attempts()).isEqualTo(2);
        }
    }
}
