package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.github.rip.emulator.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Messages D365 takes too long with, or whose file left sent/: reported once, never forgotten, never blocking others. */
class ImportOverdueIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");
    private static final String OVERDUE_ERROR = "has not finished groups.csv";

    @TempDir
    Path data;
    /** The runner of the first test, restarted during it. */
    PackRunner runner;

    @AfterEach
    void stopRunner() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void a_message_d365_does_not_finish_is_reported_once_and_completes_when_d365_finishes_it() throws Exception {
        AtomicReference<Duration> processingDelay = new AtomicReference<>(Duration.ofHours(1));
        StandaloneEmulator d365 = new StandaloneEmulator(data.resolve("emulator"),
                b -> b.processingDelay(processingDelay.get())).start();
        try (d365; LogCapture log = new LogCapture()) {
            runner = overdueAfterOneSecond(d365).start();
            Path job = runner.job("customer-groups");
            Files.copy(SAMPLE, job.resolve("inbox/groups.csv"));

            Path overdueReport = job.resolve("sent/groups.csv.overdue.report.txt");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(overdueReport));
            Instant reported = Instant.now();
            int checksBefore = d365.get().requestCount(Endpoint.JOBSTATUS);
            String messageId = runner.journal().latest("customer-groups", "groups.csv").orElseThrow().messageId();
            assertThat(Files.readString(overdueReport)).contains("OVERDUE - D365 has not finished this message 1s after",
                    "File:        groups.csv", "Job:         customer-groups", "Message id:  " + messageId,
                    "D365 state:  Enqueued", "Manage messages", AuthenticationIT.activity("customer-groups"));
            assertThat(job.resolve("sent/groups.csv")).exists();

            // from now on D365 is asked about the message only every rip.status.overdue-poll-interval (1 s), not 200 ms
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> d365.get().requestCount(Endpoint.JOBSTATUS) >= checksBefore + 3);
            assertThat(Duration.between(reported, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(log.count("ERROR", OVERDUE_ERROR)).isEqualTo(1);

            runner.stop();
            runner = overdueAfterOneSecond(d365).start();
            int checksAfterRestart = d365.get().requestCount(Endpoint.JOBSTATUS);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> d365.get().requestCount(Endpoint.JOBSTATUS) >= checksAfterRestart + 2);
            assertThat(log.count("ERROR", OVERDUE_ERROR)).as("not reported again after a restart").isEqualTo(1);

            // D365 finally processes the message
            d365.stop();
            processingDelay.set(Duration.ofMillis(200));
            d365.start();
            String outcome = runner.awaitOutcome("customer-groups", "groups.csv");
            assertThat(outcome).startsWith("processed").contains("Overdue:     yes - reported overdue at");
            assertThat(job.resolve("processed/groups.csv")).exists();
            assertThat(job.resolve("sent")).isEmptyDirectory();
            assertThat(log.count("ERROR", OVERDUE_ERROR)).isEqualTo(1);
        }
    }

    @Test
    void a_file_gone_from_sent_neither_holds_up_other_messages_nor_goes_unreported() throws Exception {
        try (LogCapture log = new LogCapture();
             PackRunner single = new PackRunner(data).set("rip.status.batch-size", "1")
                     .set("emulator.processing-delay", "3s").start()) {
            Path job = single.job("customer-groups");
            Files.copy(SAMPLE, job.resolve("inbox/lost.csv"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(job.resolve("sent/lost.csv")));
            Files.delete(job.resolve("sent/lost.csv"));
            Files.writeString(job.resolve("inbox/other.csv"), Files.readString(SAMPLE).replace("Net", "NET"));

            assertThat(single.awaitOutcome("customer-groups", "other.csv")).startsWith("processed");
            String lost = single.awaitOutcome("customer-groups", "lost.csv");
            assertThat(lost).startsWith("processed").contains("Data file:   MISSING - it was no longer in sent/");
            assertThat(job.resolve("processed/lost.csv")).doesNotExist();
            assertThat(log.count("WARN", "lost.csv", "is no longer in sent/")).isEqualTo(1);
            assertThat(log.count("WARN", "lost.csv", "its data file was missing from sent/")).isEqualTo(1);
            assertThat(log.count("WARN", "status check")).isZero();
        }
    }

    private PackRunner overdueAfterOneSecond(StandaloneEmulator d365) {
        return d365.configure(new PackRunner(data.resolve("runner")))
                .set("rip.status.overdue-after", "1s")
                .set("rip.status.overdue-poll-interval", "1s");
    }
}
