package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.rip.emulator.ExportMessage;
import io.github.rip.journal.ExportJournal.State;
import io.github.rip.journal.ExportRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rip.it.ExportFixtures.activity;
import static io.github.rip.it.ExportFixtures.files;
import static io.github.rip.it.ExportFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Export jobs delivering to a real SFTP server (key login, host key checked by default): the file appears under its
 * name only when complete, D365 is acked only after that, and a delivery the server refuses is not acked but
 * delivered once when D365 offers the message again.
 */
class SftpExportIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration VISIBILITY = Duration.ofSeconds(2);
    private static final String CSV = "CUSTOMERGROUPID,DESCRIPTION\r\n10,Wholesale\r\n";

    @TempDir
    Path data;
    SftpServerFixture sftp;

    @BeforeEach
    void startServer() throws Exception {
        sftp = new SftpServerFixture(data.resolve("sftp")).start();
        Files.createDirectories(sftp.path("/outbox"));
        // no host key option in the target URI: the job checks the key against rip.sftp.known-hosts-file by default
        String target = "sftp://" + SftpServerFixture.KEY_USER + "@127.0.0.1:" + sftp.port() + "/outbox?privateKeyFile="
                + sftp.privateKeyFile();
        ExportFixtures.writeJob(data.resolve("routes"), "partner", data.resolve("export/partner"), target,
                Map.of("unzip", "true", "fileNamePattern", "{name}-{correlationId}.{ext}"));
    }

    @AfterEach
    void stopServer() {
        sftp.close();
    }

    @Test
    void the_file_is_renamed_into_place_when_complete_and_d365_is_acked_only_after_the_rename() throws Exception {
        try (PackRunner runner = runner(sftp.knownHosts()).start()) {
            String id = runner.emulator().publish(activity(), pkg());

            await().atMost(WAIT).until(() -> state(runner, id) == State.ACKED);
            String name = "Customer groups-" + id + ".csv";
            assertThat(Files.readString(sftp.path("/outbox/" + name))).isEqualTo(CSV);
            SftpServerFixture.Rename rename = sftp.renames().stream()
                    .filter(r -> r.to().equals("/outbox/" + name)).findFirst().orElseThrow();
            assertThat(rename.from()).isEqualTo("/outbox/.part-" + name);
            ExportMessage message = runner.emulator().exportMessage(id).orElseThrow();
            assertThat(message.ackedAt()).as("acked after the rename").isAfter(rename.at());
            assertThat(files(sftp.path("/outbox"))).hasSize(1);
        }
    }

    @Test
    void a_write_the_server_refuses_is_not_acked_and_the_redelivered_message_is_delivered_once() throws Exception {
        sftp.denyWrites("/outbox");
        try (PackRunner runner = runner(sftp.knownHosts()).start()) {
            runner.emulator().visibilityTimeout(VISIBILITY);
            String id = runner.emulator().publish(activity(), pkg());

            await().atMost(WAIT).until(() -> row(runner, "partner", id)
                    .map(r -> r.lastError() != null && r.lastError().contains("permission denied")).orElse(false));
            assertThat(runner.emulator().exportMessage(id).orElseThrow().ackedAt()).as("not acked").isNull();
            assertThat(state(runner, id)).isNotEqualTo(State.DELIVERED);
            assertThat(ExportFixtures.allFiles(sftp.path("/outbox"))).isEmpty();

            sftp.allowWrites();
            await().atMost(WAIT).until(() -> state(runner, id) == State.ACKED);
            ExportRecord row = row(runner, "partner", id).orElseThrow();
            assertThat(row.attempts()).as("delivered when D365 offered it again").isGreaterThan(1);
            assertThat(ExportFixtures.allFiles(sftp.path("/outbox"))).hasSize(1);
            assertThat(sftp.renames()).hasSize(1);
        }
    }

    @Test
    void a_server_that_is_down_gets_the_message_once_it_is_back() throws Exception {
        try (PackRunner runner = runner(sftp.knownHosts()).start()) {
            runner.emulator().visibilityTimeout(VISIBILITY);
            sftp.stop();
            String id = runner.emulator().publish(activity(), pkg());

            await().atMost(WAIT).until(() -> row(runner, "partner", id)
                    .map(r -> r.lastError() != null && r.lastError().contains("server unreachable")).orElse(false));
            assertThat(runner.emulator().exportMessage(id).orElseThrow().ackedAt()).isNull();

            sftp.start();
            await().atMost(WAIT).until(() -> state(runner, id) == State.ACKED);
            assertThat(files(sftp.path("/outbox"))).hasSize(1);
            assertThat(runner.emulator().exportMessage(id).orElseThrow().dequeueCount()).isGreaterThan(1);
        }
    }

    @Test
    void a_changed_host_key_is_refused_with_the_known_hosts_file_to_fix_and_nothing_is_acked() throws Exception {
        Path otherKey = sftp.knownHostsWithAnotherKey();
        try (LogCapture log = new LogCapture(); PackRunner runner = runner(otherKey).start()) {
            String id = runner.emulator().publish(activity(), pkg());

            String warning = log.awaitLine("partner", "host key has CHANGED");
            assertThat(warning).contains(otherKey.toString()).contains("[127.0.0.1]:" + sftp.port());
            assertThat(runner.emulator().exportMessage(id).orElseThrow().ackedAt()).isNull();
            assertThat(ExportFixtures.allFiles(sftp.path("/outbox"))).isEmpty();
        }
    }

    private PackRunner runner(Path knownHosts) {
        return ExportFixtures.runner(data, data.resolve("routes"))
                .set("rip.sftp.known-hosts-file", knownHosts.toString())
                .set("rip.sftp.connect-timeout", "3000");
    }

    private Path pkg() throws Exception {
        return ExportFixtures.dataPackage(data.resolve("p-" + System.nanoTime() + ".zip"),
                Map.of("Customer groups.csv", CSV));
    }

    private static State state(PackRunner runner, String id) {
        return row(runner, "partner", id).map(ExportRecord::state).orElse(null);
    }
}
