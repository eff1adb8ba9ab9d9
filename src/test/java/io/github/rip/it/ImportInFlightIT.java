package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.rip.emulator.EmulatorMessage;
import io.github.rip.emulator.Endpoint;
import io.github.rip.journal.ImportJournal.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How many files of a job are worked on at a time ({@code maxInFlight}): by default one after another, in the job's
 * sort order, as D365 applies a job's messages in the order they arrive; with {@code maxInFlight: 8} up to eight
 * uploads overlap, never more, and every file is still enqueued once and archived.
 */
class ImportInFlightIT {

    /** D365 takes a while per enqueue, so that overlapping uploads would show at the emulator. */
    private static final Duration ENQUEUE_TIME = Duration.ofSeconds(1);

    @TempDir
    Path temp;

    @Test
    void by_default_files_go_one_after_another_in_sort_order_and_with_max_in_flight_eight_at_most_eight_at_once()
            throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-in-order", Map.of());
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-parallel", Map.of("maxInFlight", "8"));
        try (PackRunner runner = new PackRunner(temp.resolve("data")).set("rip.routes-dir", routes.toString())
                .set("emulator.exports.customer-groups.every", "0").start()) {
            runner.emulator().faults().delayNext(Endpoint.ENQUEUE, ENQUEUE_TIME, Integer.MAX_VALUE);

            List<String> ordered = drop(runner.job("groups-in-order"), "order", 6);
            await().atMost(Duration.ofSeconds(60)).until(() -> runner.emulator().messages().size() == 6);
            assertThat(runner.emulator().messages()).extracting(EmulatorMessage::externalIdentifier)
                    .as("arrival order at D365").containsExactlyElementsOf(ordered);
            assertThat(runner.emulator().peakConcurrentRequests(Endpoint.ENQUEUE)).isEqualTo(1);

            List<String> parallel = drop(runner.job("groups-parallel"), "parallel", 24);
            for (String name : parallel) {
                assertThat(runner.awaitOutcome("groups-parallel", name)).startsWith("processed");
                assertThat(runner.journal().latest("groups-parallel", name).orElseThrow().state())
                        .isEqualTo(State.PROCESSED);
            }
            assertThat(runner.emulator().messages()).hasSize(6 + 24)
                    .extracting(EmulatorMessage::externalIdentifier).doesNotHaveDuplicates()
                    .containsAll(parallel);
            assertThat(runner.emulator().peakConcurrentRequests(Endpoint.ENQUEUE)).as("uploads at once")
                    .isEqualTo(8);
            for (String name : ordered) {
                assertThat(runner.awaitOutcome("groups-in-order", name)).startsWith("processed");
            }
        }
    }

    /** {@code count} small distinct CSVs written elsewhere and renamed into the inbox at once; their names in order. */
    private static List<String> drop(Path job, String prefix, int count) throws Exception {
        Path staging = Files.createDirectories(job.resolve("staging"));
        Path inbox = Files.createDirectories(job.resolve("inbox"));
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = String.format("%s-%02d.csv", prefix, i);
            Files.writeString(staging.resolve(name), "CUSTOMERGROUPID,DESCRIPTION\n" + prefix + i + ",Group " + i
                    + "\n");
            names.add(name);
        }
        for (String name : names) {
            Files.move(staging.resolve(name), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        return names;
    }
}
