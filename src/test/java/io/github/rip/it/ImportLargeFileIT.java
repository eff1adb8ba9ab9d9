package io.github.rip.it;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A file big enough to be hashed while it uploads (no earlier accepted copy of its name): its SHA-256 still reaches
 * the journal, and the same file dropped again is still rejected as a duplicate (then hashed before the upload).
 */
class ImportLargeFileIT {

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
    void big_file_is_hashed_while_it_uploads_and_a_second_copy_is_still_a_duplicate() throws Exception {
        Path big = data.resolve("big-customer-groups.csv");
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            w.write("CUSTOMERGROUPID,DESCRIPTION,DEFAULTDIMENSIONDISPLAYVALUE,PAYMENTTERMID\n");
            for (int i = 0; i < 1_000_000; i++) {
                w.write("G" + i + ",Customer group " + i + " of a big file,,Net30\n");
            }
        }
        assertThat(Files.size(big)).isGreaterThan(40L << 20);
        Path job = runner.job("customer-groups");
        Path copy = data.resolve("copy.csv");
        Files.copy(big, copy);
        Files.move(big, job.resolve("inbox/big-customer-groups.csv"));

        assertThat(runner.awaitOutcome("customer-groups", "big-customer-groups.csv")).startsWith("processed");
        ImportRecord first = runner.journal().latest("customer-groups", "big-customer-groups.csv").orElseThrow();
        assertThat(first.state()).isEqualTo(State.PROCESSED);
        assertThat(first.sha256()).isEqualTo(io.github.rip.support.Sha256.of(copy));

        Files.move(copy, job.resolve("inbox/big-customer-groups.csv"), StandardCopyOption.ATOMIC_MOVE);
        Path report = job.resolve("failed/big-customer-groups.csv.report.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(report));
        assertThat(Files.readString(report)).contains("Duplicate");
    }
}
