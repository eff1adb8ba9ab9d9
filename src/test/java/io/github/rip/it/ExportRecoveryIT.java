package io.github.rip.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.Endpoint;
import io.github.rip.journal.ExportJournal.State;
import io.github.rip.journal.ExportRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rip.it.ExportFixtures.activity;
import static io.github.rip.it.ExportFixtures.files;
import static io.github.rip.it.ExportFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At-least-once, effectively once: failures between dequeue and ack (docs/architecture.md, export crash windows) with D365's redelivery after
 * a short visibility timeout; every package reaches the target once and every message ends acknowledged.
 */
class ExportRecoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration VISIBILITY = Duration.ofSeconds(2);

    @TempDir
    Path data;

    @Test
    void a_failed_ack_is_retried_in_place() throws Exception {
        try (PackRunner runner = start("acks")) {
            D365Emulator emulator = runner.emulator();
            emulator.faults().failNext(Endpoint.ACK, 500, 2);
            String id = emulator.publish(activity(), pkg("p.zip"));

            await().atMost(WAIT).until(() -> state(runner, "acks", id) == State.ACKED);
            assertThat(emulator.requestCount(Endpoint.ACK)).isEqualTo(3);
            assertThat(emulator.requestCount(Endpoint.DOWNLOAD)).isEqualTo(1);
            assertThat(files(out())).hasSize(1);
            assertThat(row(runner, "acks", id).orElseThrow().attempts()).isEqualTo(1);
        }
    }

    @Test
    void an_ack_whose_answer_was_lost_is_repeated_and_d365_accepts_it_again() throws Exception {
        try (PackRunner runner = start("lostanswer")) {
            D365Emulator emulator = runner.emulator();
            emulator.faults().dropResponseNext(Endpoint.ACK, 1);
            String id = emulator.publish(activity(), pkg("p.zip"));

            await().atMost(WAIT).until(() -> state(runner, "lostanswer", id) == State.ACKED);
            assertThat(emulator.requestCount(Endpoint.ACK)).isEqualTo(2);
            assertThat(files(out())).hasSize(1);
        }
    }

    @Test
    void a_message_delivered_but_never_acked_comes_back_and_is_only_acked() throws Exception {
        try (PackRunner runner = start("lostack")) {
            D365Emulator emulator = runner.emulator();
            // more failures than the in-place retries (3): the poll ends between delivery and ack
            emulator.faults().failNext(Endpoint.ACK, 503, 4);
            String id = emulator.publish(activity(), pkg("p.zip"));

            await().atMost(WAIT).until(() -> row(runner, "lostack", id)
                    .map(r -> r.state() == State.DELIVERED && r.lastError() != null).orElse(false));
            assertThat(row(runner, "lostack", id).orElseThrow().lastError()).contains("Ack answered HTTP 503");

            // D365 offers it again after the visibility timeout: recognised as delivered, acked, not delivered again
            await().atMost(WAIT).until(() -> state(runner, "lostack", id) == State.ACKED);
            ExportRecord row = row(runner, "lostack", id).orElseThrow();
            assertThat(row.attempts()).isEqualTo(2);
            assertThat(emulator.exportMessage(id).orElseThrow().dequeueCount()).isEqualTo(2);
            assertThat(emulator.requestCount(Endpoint.DOWNLOAD)).as("downloaded once").isEqualTo(1);
            assertThat(files(out())).as("delivered once").hasSize(1);
        }
    }

    @Test
    void a_redelivery_under_a_new_correlation_id_is_recognised_by_the_package_hash() throws Exception {
        try (PackRunner runner = start("newid")) {
            D365Emulator emulator = runner.emulator();
            emulator.redeliveryNewCorrelationId(true);
            emulator.faults().failNext(Endpoint.ACK, 503, 4);
            String first = emulator.publish(activity(), pkg("p.zip"));

            await().atMost(WAIT).until(() -> emulator.exportMessage(first).orElseThrow().ackedAt() != null);
            String second = emulator.exportMessage(first).orElseThrow().correlationId();
            assertThat(second).isNotEqualTo(first);
            ExportRecord redelivered = row(runner, "newid", second).orElseThrow();
            assertThat(redelivered.state()).isEqualTo(State.ACKED);
            assertThat(redelivered.duplicateOf()).isEqualTo(first);
            assertThat(redelivered.filesWritten()).isZero();
            assertThat(row(runner, "newid", first).orElseThrow().state()).isEqualTo(State.DELIVERED);
            assertThat(emulator.requestCount(Endpoint.DOWNLOAD)).isEqualTo(2);
            assertThat(files(out())).as("delivered once").hasSize(1);
        }
    }

    @Test
    void the_runner_dying_between_delivery_and_ack_acks_after_the_restart_without_delivering_again() throws Exception {
        String id;
        try (PackRunner runner = start("crash")) {
            runner.emulator().faults().failNext(Endpoint.ACK, 500, 1000);
            id = runner.emulator().publish(activity(), pkg("p.zip"));
            await().atMost(WAIT).until(() -> row(runner, "crash", id)
                    .map(r -> r.state() == State.DELIVERED && r.lastError() != null).orElse(false));
        } // the runner (and its embedded emulator, whose state is on disk) stops here: the ack never happened
        try (PackRunner runner = restart()) {
            await().atMost(WAIT).until(() -> state(runner, "crash", id) == State.ACKED);
            assertThat(runner.emulator().requestCount(Endpoint.DOWNLOAD)).as("not downloaded again").isZero();
            assertThat(runner.emulator().exportMessage(id).orElseThrow().ackedAt()).isNotNull();
            assertThat(files(out())).hasSize(1);
        }
    }

    @Test
    void a_download_failing_beyond_the_in_place_retries_is_delivered_when_d365_offers_the_message_again()
            throws Exception {
        try (PackRunner runner = start("flaky")) {
            D365Emulator emulator = runner.emulator();
            emulator.faults().dropConnectionNext(Endpoint.DOWNLOAD, 1).failNext(Endpoint.DOWNLOAD, 503, 3);
            String id = emulator.publish(activity(), pkg("p.zip"));

            await().atMost(WAIT).until(() -> row(runner, "flaky", id)
                    .map(r -> r.lastError() != null && r.lastError().contains("503")).orElse(false));
            assertThat(row(runner, "flaky", id).orElseThrow().state()).isEqualTo(State.DEQUEUED);
            assertThat(files(out())).isEmpty();

            await().atMost(WAIT).until(() -> state(runner, "flaky", id) == State.ACKED);
            assertThat(emulator.requestCount(Endpoint.DOWNLOAD)).isEqualTo(5);
            assertThat(row(runner, "flaky", id).orElseThrow().attempts()).isEqualTo(2);
            assertThat(files(out())).hasSize(1);
        }
    }

    @Test
    void a_throttled_dequeue_waits_for_retry_after_and_carries_on() throws Exception {
        try (PackRunner runner = start("throttled")) {
            D365Emulator emulator = runner.emulator();
            String id = emulator.publish(activity(), pkg("p.zip"));
            emulator.faults().throttleNext(Endpoint.DEQUEUE, 1, 1);
            long begin = System.nanoTime();

            await().atMost(WAIT).until(() -> state(runner, "throttled", id) == State.ACKED);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("Retry-After: 1 honoured")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(row(runner, "throttled", id).orElseThrow().attempts()).isEqualTo(1);
        }
    }

    private PackRunner start(String job) throws Exception {
        ExportFixtures.writeJob(data.resolve("routes"), job, data.resolve("export/" + job), "file:" + out(), Map.of());
        PackRunner runner = ExportFixtures.runner(data, data.resolve("routes")).start();
        runner.emulator().visibilityTimeout(VISIBILITY);
        return runner;
    }

    private PackRunner restart() throws Exception {
        PackRunner runner = ExportFixtures.runner(data, data.resolve("routes")).start();
        runner.emulator().visibilityTimeout(VISIBILITY);
        return runner;
    }

    private Path out() {
        return data.resolve("out");
    }

    private Path pkg(String name) throws Exception {
        return ExportFixtures.dataPackage(data.resolve(name), Map.of("Customer groups.csv",
                "CUSTOMERGROUPID,DESCRIPTION\r\n10,Wholesale\r\n"));
    }

    private static State state(PackRunner runner, String job, String correlationId) {
        return row(runner, job, correlationId).map(ExportRecord::state).orElse(null);
    }
}
