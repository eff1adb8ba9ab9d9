package io.github.rip.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rip.it.SftpImportIT.JOB;
import static io.github.rip.it.SftpImportIT.drop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An SFTP server that cannot be trusted, goes away or drops connections: clear errors, nothing lost, recovery. */
class SftpConnectionIT {

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
    void a_changed_host_key_is_refused_naming_the_file_to_fix_and_the_job_recovers_once_it_is_fixed() throws Exception {
        Path knownHosts = sftp.knownHostsWithAnotherKey();
        String realLine = Files.readString(sftp.knownHosts()).strip();
        try (LogCapture log = new LogCapture();
             PackRunner runner = keyLogin().set("sftp.it.known-hosts", knownHosts.toString()).start()) {
            Path remote = drop(sftp, "groups.csv");

            String error = log.awaitLine("ERROR", "SFTP job 'partner-groups'", "host key has CHANGED");
            assertThat(error).contains(knownHosts.toAbsolutePath().toString())
                    .contains("[127.0.0.1]:" + sftp.port())
                    .contains("man-in-the-middle")
                    .contains("SHA256:")
                    .contains(realLine);
            assertThat(remote).exists();
            assertThat(runner.emulator().messages()).isEmpty();

            // the operator checked the fingerprint with the server's owner and fixed the file: no restart needed
            Files.copy(sftp.knownHosts(), knownHosts, StandardCopyOption.REPLACE_EXISTING);
            assertThat(runner.awaitOutcome(JOB, "groups.csv")).startsWith("processed");
            log.awaitLine("INFO", "SFTP job 'partner-groups'", "working again");
            assertThat(log.count("host key has CHANGED")).as("said once, not at every poll").isEqualTo(1);
        }
    }

    @Test
    void an_unknown_server_is_refused_and_the_error_gives_the_line_to_add() throws Exception {
        Path missing = data.resolve("sftp/no_known_hosts_yet");
        try (LogCapture log = new LogCapture();
             PackRunner runner = keyLogin().set("sftp.it.known-hosts", missing.toString()).start()) {
            assertThat(log.awaitLine("ERROR", "known_hosts file " + missing, "does not exist")).contains("cannot connect");
            drop(sftp, "groups.csv");

            String error = log.awaitLine("ERROR", "host key NOT TRUSTED");
            assertThat(error).contains(missing + " does not exist")
                    .contains("add this line to " + missing + ": " + Files.readString(sftp.knownHosts()).strip());
            assertThat(sftp.path("/inbox/groups.csv")).exists();
        }
    }

    @Test
    void turning_host_key_checking_off_is_an_explicit_choice_warned_about_at_startup() throws Exception {
        try (LogCapture log = new LogCapture();
             PackRunner runner = keyLogin().set("sftp.it.known-hosts", sftp.knownHostsWithAnotherKey().toString())
                     .set("sftp.it.strict-host-key-checking", "no").start()) {
            assertThat(log.awaitLine("WARN", "SFTP job 'partner-groups'", "host key checking is OFF")).isNotNull();
            drop(sftp, "groups.csv");
            assertThat(runner.awaitOutcome(JOB, "groups.csv")).startsWith("processed");
        }
    }

    @Test
    void the_server_dropping_connections_and_going_away_loses_nothing_and_other_jobs_carry_on() throws Exception {
        try (LogCapture log = new LogCapture(); PackRunner runner = keyLogin().start()) {
            drop(sftp, "first.csv");
            assertThat(runner.awaitOutcome(JOB, "first.csv")).startsWith("processed");

            sftp.disconnectAllSessions(); // a network blip: the next poll reconnects
            drop(sftp, "second.csv");
            assertThat(runner.awaitOutcome(JOB, "second.csv")).startsWith("processed");

            sftp.stop();
            log.awaitLine("WARN", "SFTP job 'partner-groups'", "server unreachable");
            // the dashboard and the health check "sftp:<host>:<port>" say it in the same words
            DashboardClient dashboard = new DashboardClient(runner.baseUrl());
            String check = "\"name\":\"sftp:127.0.0.1:" + sftp.port() + "\"";
            await().atMost(Duration.ofSeconds(30)).until(() -> dashboard.get("/observe/health").body().contains(check));
            assertThat(dashboard.get("/observe/health").status()).isEqualTo(503);
            assertThat(dashboard.get("/observe/health").body()).contains("server unreachable");
            assertThat(dashboard.get("/api/jobs/" + JOB).json().path("state").asText()).isEqualTo("failing");
            // the local job does not care
            Files.copy(SftpImportIT.SAMPLE, runner.job("customer-groups").resolve("inbox/local.csv"));
            assertThat(runner.awaitOutcome("customer-groups", "local.csv")).startsWith("processed");
            drop(sftp, "third.csv"); // the partner's server keeps it while we cannot reach it

            sftp.start(); // same port, same host key
            assertThat(runner.awaitOutcome(JOB, "third.csv")).startsWith("processed");
            log.awaitLine("INFO", "SFTP job 'partner-groups'", "working again");
            assertThat(log.count("server unreachable")).as("one warning, not one per poll").isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> !dashboard.get("/observe/health").body().contains(check));
            assertThat(runner.emulator().messages()).hasSize(4);
            assertThat(sftp.path("/inbox/sent")).isDirectoryContaining(p -> p.getFileName().toString().equals("third.csv"));
        }
    }

    PackRunner keyLogin() throws IOException {
        return SftpImportIT.runnerWith(data, sftp, SftpServerFixture.KEY_USER)
                .set("sftp.it.private-key-file", sftp.privateKeyFile().toString());
    }
}
