package io.github.rip.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import io.github.rip.emulator.Endpoint;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SFTP inboxes against a real SFTP server: when a remote file leaves the server, and what survives what. */
class SftpImportIT {

    static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");
    static final String JOB = "partner-groups";

    @TempDir
    Path data;
    SftpServerFixture sftp;

    @BeforeEach
    void startServer() throws IOException {
        sftp = new SftpServerFixture(data.resolve("sftp")).start();
        Files.createDirectories(sftp.path("/inbox"));
    }

    @AfterEach
    void stopServer() {
        sftp.close();
    }

    @Test
    void a_file_leaves_the_remote_inbox_only_after_d365_accepted_it() throws Exception {
        String passphrase = "key passphrase ) & = %";
        try (PackRunner runner = runner(SftpServerFixture.KEY_USER)
                .set("sftp.it.private-key-file", sftp.privateKeyFile(passphrase).toString())
                .set("sftp.it.key-passphrase-secret", "sftp.it.key-passphrase")
                .set("sftp.it.key-passphrase", passphrase).start()) {
            runner.emulator().faults().delayNext(Endpoint.ENQUEUE, Duration.ofSeconds(2), 1);
            Path remote = drop("groups.csv");

            await().atMost(Duration.ofSeconds(30)).until(() -> runner.emulator().requestCount(Endpoint.ENQUEUE) == 1);
            // the enqueue is on its way and D365 has not answered yet: the partner's file is untouched
            assertThat(remote).exists();
            assertThat(sftp.path("/inbox/sent")).doesNotExist();
            assertThat(row(runner).state()).isEqualTo(State.CLAIMED);

            assertThat(runner.awaitOutcome(JOB, "groups.csv")).startsWith("processed");
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(remote));
            assertThat(sftp.path("/inbox/sent/groups.csv")).hasSameBinaryContentAs(SAMPLE);
            SftpServerFixture.Rename move = sftp.renames().get(0);
            assertThat(move.from()).isEqualTo("/inbox/groups.csv");
            assertThat(move.to()).isEqualTo("/inbox/sent/groups.csv");
            assertThat(move.at()).isAfter(runner.emulator().messages().get(0).receivedAt());
            assertThat(Files.readAllBytes(runner.emulator().messages().get(0).bodyPath()))
                    .isEqualTo(Files.readAllBytes(SAMPLE));
            assertThat(row(runner).sourcePath()).startsWith("sftp://127.0.0.1:" + sftp.port() + "/~/inbox/groups.csv (modified ");
            assertThat(runner.job(JOB).resolve("work/download/groups.csv")).doesNotExist();
        }
    }

    @Test
    void password_login_with_delete_after_import_and_the_password_never_logged() throws Exception {
        Configurator.setLevel("io.github.rip", Level.DEBUG);
        Configurator.setLevel("org.apache.camel.component.file.remote", Level.DEBUG);
        try (LogCapture log = new LogCapture();
             PackRunner runner = passwordLogin(SftpServerFixture.PASSWORD).set("sftp.it.after-import", "delete").start()) {
            Path remote = drop("groups.csv");

            assertThat(runner.awaitOutcome(JOB, "groups.csv")).startsWith("processed");
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(remote));
            assertThat(sftp.path("/inbox/sent")).doesNotExist();
            assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(SftpServerFixture.PASSWORD));
        } finally {
            Configurator.setLevel("io.github.rip", Level.INFO);
            Configurator.setLevel("org.apache.camel.component.file.remote", Level.INFO);
        }
    }

    @Test
    void a_rejected_file_gets_its_local_report_and_goes_to_the_remote_failed_folder() throws Exception {
        try (PackRunner runner = keyLogin().start()) {
            runner.emulator().faults().failNext(Endpoint.ENQUEUE, 400, 1);
            Path remote = drop("groups.csv");

            assertThat(runner.awaitOutcome(JOB, "groups.csv")).startsWith("failed").contains("HTTP status: 400");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(sftp.path("/inbox/failed/groups.csv")));
            assertThat(remote).doesNotExist();
            assertThat(runner.job(JOB).resolve("failed/groups.csv")).hasSameBinaryContentAs(SAMPLE);
            assertThat(row(runner).state()).isEqualTo(State.FAILED);
        }
    }

    @Test
    void a_name_token_names_the_company_and_a_file_for_a_company_not_allowed_goes_to_the_remote_failed_folder()
            throws Exception {
        try (PackRunner runner = keyLogin().set("sftp.it.company-from", "name:(?<company>[a-z0-9]{3,4})_.*")
                .set("sftp.it.allowed-companies", "USMF").start()) {
            drop("usmf_groups.csv");
            Path other = drop("demf_groups.csv");

            assertThat(runner.awaitOutcome(JOB, "usmf_groups.csv")).startsWith("processed")
                    .contains("Company:     USMF");
            assertThat(runner.awaitOutcome(JOB, "demf_groups.csv")).startsWith("failed")
                    .contains("'DEMF' is not one this job may import into; allowedCompanies: USMF");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(sftp.path("/inbox/failed/demf_groups.csv")));
            assertThat(other).doesNotExist();
            assertThat(runner.emulator().messages()).extracting(m -> m.company()).containsExactly("USMF");
        }
    }

    @Test
    void a_runner_stopped_before_d365_accepted_the_file_leaves_it_on_the_server_and_the_next_run_imports_it()
            throws Exception {
        Path remote;
        try (PackRunner runner = keyLogin().start()) {
            runner.emulator().faults().failNext(Endpoint.ENQUEUE, 503, 1000);
            remote = drop("groups.csv");
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.journal().latest(JOB, "groups.csv")
                    .map(r -> r.retryAt() != null).orElse(false));
            assertThat(remote).exists();
        }
        assertThat(remote).as("the runner is gone, the file was never accepted: it is still on the server").exists();
        assertThat(sftp.path("/inbox/sent")).doesNotExist();

        try (PackRunner runner = keyLogin().start()) {
            assertThat(runner.awaitOutcome(JOB, "groups.csv")).startsWith("processed");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(sftp.path("/inbox/sent/groups.csv")));
            assertThat(remote).doesNotExist();
            assertThat(runner.emulator().messages()).hasSize(1);
            assertThat(row(runner).attempts()).isGreaterThan(1);
        }
    }

    @Test
    void an_accepted_file_left_on_the_server_is_only_moved_never_sent_again() throws Exception {
        Path remote;
        try (LogCapture log = new LogCapture(); PackRunner runner = keyLogin().start()) {
            // D365 accepts the file, but the server refuses to move it: the job is done with it, the server not yet
            Files.createDirectories(sftp.path("/inbox/sent"));
            sftp.denyWrites("/inbox/sent");
            remote = drop("groups.csv");
            assertThat(runner.awaitOutcome(JOB, "groups.csv")).startsWith("processed");
            log.awaitLine("WARN", "permission denied", "groups.csv stays in the SFTP inbox");
            assertThat(remote).exists();
        }
        sftp.allowWrites();

        try (LogCapture log = new LogCapture(); PackRunner runner = keyLogin().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(sftp.path("/inbox/sent/groups.csv")));
            assertThat(remote).doesNotExist();
            assertThat(log.awaitLine("groups.csv is still in the SFTP inbox but was already PROCESSED")).isNotNull();
            assertThat(runner.emulator().requestCount(Endpoint.ENQUEUE)).as("not sent again").isZero();
            assertThat(runner.job(JOB).resolve("failed/groups.csv.report.txt")).as("no duplicate report").doesNotExist();
            assertThat(row(runner).state()).isEqualTo(State.PROCESSED);
        }
    }

    @Test
    void a_file_still_being_uploaded_is_not_taken_early() throws Exception {
        try (PackRunner runner = keyLogin().start()) {
            // a temporary name is never taken, however long it sits there
            Files.writeString(sftp.path("/inbox/upload.csv.part"), "CUSTOMERGROUPID,DESCRIPTION\n");
            StringBuilder text = new StringBuilder("CUSTOMERGROUPID,DESCRIPTION\n");
            for (int i = 0; i < 20; i++) {
                text.append(200 + i).append(",Slowly uploaded group ").append(i).append('\n');
            }
            byte[] content = text.toString().getBytes();
            // the partner uploads 20 lines, one every 100 ms (the job waits for 300 ms without change)
            SlowWriter.write(sftp.path("/inbox/slow.csv"), content, 20, 100);

            assertThat(runner.awaitOutcome(JOB, "slow.csv")).startsWith("processed").contains("20 records");
            assertThat(runner.emulator().messages()).hasSize(1);
            assertThat(Files.readAllBytes(runner.emulator().messages().get(0).bodyPath())).isEqualTo(content);
            assertThat(sftp.path("/inbox/upload.csv.part")).exists();
        }
    }

    @Test
    void a_connection_cut_during_the_download_is_repeated_and_the_file_imported_once() throws Exception {
        try (LogCapture log = new LogCapture(); PackRunner runner = keyLogin().start()) {
            sftp.cutConnectionDuringDownloadOf("groups.csv");
            drop("groups.csv");

            log.awaitLine("WARN", "groups.csv stays in the SFTP inbox");
            assertThat(runner.awaitOutcome(JOB, "groups.csv")).startsWith("processed");
            assertThat(runner.emulator().messages()).hasSize(1);
            assertThat(Files.readAllBytes(runner.emulator().messages().get(0).bodyPath()))
                    .isEqualTo(Files.readAllBytes(SAMPLE));
        }
    }

    @Test
    void a_refused_login_says_so_and_names_the_user() throws Exception {
        try (LogCapture log = new LogCapture(); PackRunner runner = passwordLogin("wrong-password").start()) {
            drop("groups.csv");
            String error = log.awaitLine("ERROR", "SFTP job 'partner-groups'");
            assertThat(error).contains("refused the login of user '" + SftpServerFixture.PASSWORD_USER + "'");
            assertThat(sftp.path("/inbox/groups.csv")).exists();
            assertThat(log.lines()).noneMatch(line -> line.contains("wrong-password"));
        }
    }

    /** A job logging in with the key user's private key. */
    PackRunner keyLogin() throws IOException {
        return runner(SftpServerFixture.KEY_USER).set("sftp.it.private-key-file", sftp.privateKeyFile().toString());
    }

    PackRunner passwordLogin(String password) throws IOException {
        return runner(SftpServerFixture.PASSWORD_USER).set("sftp.it.password-secret", "sftp.it.password")
                .set("sftp.it.password", password);
    }

    /** The runner with the example jobs of routes/ plus the SFTP test job, timings shortened for tests. */
    PackRunner runner(String user) throws IOException {
        return runnerWith(data, sftp, user);
    }

    static PackRunner runnerWith(Path data, SftpServerFixture sftp, String user) throws IOException {
        Path routes = Files.createDirectories(data.resolve("routes"));
        Files.copy(Path.of("routes/customer-groups.camel.yaml"), routes.resolve("customer-groups.camel.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of("src/test/resources/it/sftp/partner-groups.camel.yaml"),
                routes.resolve("partner-groups.camel.yaml"), StandardCopyOption.REPLACE_EXISTING);
        return new PackRunner(data.resolve("runner"))
                .set("rip.routes-dir", routes.toString())
                .set("sftp.it.port", String.valueOf(sftp.port()))
                .set("sftp.it.user", user)
                .set("sftp.it.known-hosts", sftp.knownHosts().toString())
                .set("rip.sftp.read-lock-min-age", "300ms")
                .set("rip.sftp.poll-delay", "200")
                .set("rip.sftp.backoff-multiplier", "3")
                .set("rip.sftp.connect-timeout", "3000")
                .set("rip.sftp.timeout", "5000");
    }

    Path drop(String name) throws IOException {
        return drop(sftp, name);
    }

    /** Puts a copy of the sample into the remote inbox at once (written aside, then renamed, as a careful partner does). */
    static Path drop(SftpServerFixture sftp, String name) throws IOException {
        Path target = sftp.path("/inbox/" + name);
        Path aside = Files.copy(SAMPLE, target.resolveSibling("." + name + ".tmp"));
        return Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
    }

    static ImportRecord row(PackRunner runner) {
        return runner.journal().latest(JOB, "groups.csv").orElseThrow();
    }
}
