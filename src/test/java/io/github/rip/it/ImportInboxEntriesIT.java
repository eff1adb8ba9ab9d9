package io.github.rip.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.github.rip.emulator.EmulatorMessage;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inbox entries a job must not or cannot take: each ends in failed/ with a report and ONE log line, and the ordinary
 * files dropped beside them flow as usual. Also: a new file under the name of an accepted one is never mistaken for it.
 */
class ImportInboxEntriesIT {

    private static final String JOB = "customer-groups";
    private static final String CSV = "CUSTOMERGROUPID,DESCRIPTION\n10,Wholesale\n";

    @TempDir
    Path data;

    @TempDir
    Path elsewhere;

    @Test
    void links_folders_pipes_and_overlong_names_are_refused_once_each_and_the_rest_flows() throws Exception {
        Path secret = Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        String longName = "a".repeat(246) + ".csv"; // 250 bytes: no room left for ".report.txt"
        String almostLong = "b".repeat(241) + ".csv"; // 245 bytes
        String longestAccepted = "c".repeat(196) + ".csv"; // 200 bytes
        try (LogCapture log = new LogCapture(); PackRunner runner = new PackRunner(data).start()) {
            Path inbox = runner.job(JOB).resolve("inbox");
            Files.createDirectories(inbox);
            Files.createSymbolicLink(inbox.resolve("passwd.csv"), secret);
            Files.createDirectories(inbox.resolve("folder.csv"));
            Files.writeString(inbox.resolve("folder.csv/inside.csv"), CSV);
            run("mkfifo", inbox.resolve("pipe.csv").toString());
            Files.writeString(inbox.resolve(longName), CSV);
            Files.writeString(inbox.resolve(almostLong), CSV);
            Files.writeString(inbox.resolve(longestAccepted), CSV);
            Files.writeString(inbox.resolve("ordinary.csv"), CSV);

            Path failed = runner.job(JOB).resolve("failed");
            assertThat(report(failed, "passwd.csv")).contains("symbolic link", secret.toString(), "allowLinks");
            assertThat(failed.resolve("passwd.csv")).isSymbolicLink(); // the link moved, not what it points to
            assertThat(report(failed, "folder.csv")).contains("It is a folder");
            assertThat(failed.resolve("folder.csv/inside.csv")).hasContent(CSV.strip());
            assertThat(report(failed, "pipe.csv")).contains("not a regular file");
            String longReport = awaitReportStartingWith(failed, "aaaa");
            assertThat(longReport).contains("250 bytes long", "at most 200 bytes", longName);
            assertThat(awaitReportStartingWith(failed, "bbbb")).contains("245 bytes long");
            assertThat(runner.awaitOutcome(JOB, longestAccepted)).startsWith("processed");
            assertThat(runner.awaitOutcome(JOB, "ordinary.csv")).startsWith("processed");

            assertThat(runner.emulator().messages()).extracting(EmulatorMessage::externalIdentifier)
                    .containsExactlyInAnyOrder(longestAccepted, "ordinary.csv");
            for (EmulatorMessage m : runner.emulator().messages()) {
                assertThat(Files.readString(m.bodyPath())).as("nothing from outside the inbox reached D365").isEqualTo(CSV);
            }
            assertThat(inboxDataFiles(inbox)).isEmpty();
            // several more polls: each refusal was logged once, not once per poll
            Files.writeString(inbox.resolve("later.csv"), CSV);
            assertThat(runner.awaitOutcome(JOB, "later.csv")).startsWith("processed");
            for (String name : List.of("passwd.csv", "folder.csv", "pipe.csv", longName, almostLong)) {
                assertThat(log.count("ERROR", name, "refused")).as(name).isEqualTo(1);
            }
            assertThat(runner.journal().latest(JOB, "pipe.csv").orElseThrow().state()).isEqualTo(State.FAILED);
        }
    }

    @Test
    void a_name_the_runner_cannot_decode_goes_to_failed_under_a_readable_name() throws Exception {
        try (LogCapture log = new LogCapture(); PackRunner runner = new PackRunner(data).start()) {
            Path inbox = runner.job(JOB).resolve("inbox");
            Files.createDirectories(inbox);
            // "café.csv" written by a Latin-1 client: the byte 0xE9 alone is not UTF-8 (nor ASCII under LANG=C)
            run("bash", "-c", "printf '" + CSV.replace("\n", "\\n") + "' > \"$(printf 'caf\\351.csv')\"", inbox);
            Files.writeString(inbox.resolve("ordinary.csv"), CSV);

            Path failed = runner.job(JOB).resolve("failed");
            assertThat(report(failed, "caf_.csv")).contains("not valid in the runner's file name encoding", "LANG=C.UTF-8");
            assertThat(failed.resolve("caf_.csv")).hasContent(CSV.strip());
            assertThat(runner.awaitOutcome(JOB, "ordinary.csv")).startsWith("processed");
            assertThat(inboxDataFiles(inbox)).isEmpty();
            assertThat(log.count("ERROR", "refused", "caf")).isEqualTo(1);
        }
    }

    @Test
    void a_name_outside_latin1_reaches_d365_percent_encoded_and_the_journal_keeps_both() throws Exception {
        String name = "Übersicht-日本語.csv";
        try (PackRunner runner = new PackRunner(data).start()) {
            Path inbox = runner.job(JOB).resolve("inbox");
            Files.createDirectories(inbox);
            Files.writeString(inbox.resolve(name), CSV);
            assertThat(runner.awaitOutcome(JOB, name)).startsWith("processed");
            String sent = "%C3%9Cbersicht-%E6%97%A5%E6%9C%AC%E8%AA%9E.csv";
            assertThat(runner.emulator().messages()).extracting(EmulatorMessage::externalIdentifier).containsExactly(sent);
            ImportRecord row = runner.journal().latest(JOB, name).orElseThrow();
            assertThat(row.externalId()).isEqualTo(sent);
            assertThat(row.fileName()).isEqualTo(name);
        }
    }

    @Test
    void a_new_file_under_the_name_of_an_accepted_one_whose_move_was_cut_short_is_imported_not_resumed() throws Exception {
        Path job;
        ImportRecord yesterday;
        try (PackRunner runner = new PackRunner(data).start()) {
            job = runner.job(JOB);
            Files.createDirectories(job.resolve("inbox"));
            Files.writeString(job.resolve("inbox/customers.csv"), CSV);
            assertThat(runner.awaitOutcome(JOB, "customers.csv")).startsWith("processed");
            // the crash window: the journal says ENQUEUED (yesterday's file), its file never reached sent/
            yesterday = runner.journal().latest(JOB, "customers.csv").orElseThrow();
            runner.rewindToEnqueued(yesterday.id(), yesterday.messageId(), job.resolve("sent/customers.csv").toString());
        }
        Files.delete(job.resolve("processed/customers.csv.report.txt"));
        Files.delete(job.resolve("processed/customers.csv"));
        String today = CSV + "20,Retail\n";
        Files.writeString(job.resolve("inbox/customers.csv"), today); // today's file, same name
        try (PackRunner runner = new PackRunner(data).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.emulator().messages().size() == 2);
            EmulatorMessage received = runner.emulator().messages().get(1);
            assertThat(Files.readString(received.bodyPath())).isEqualTo(today);
            Path processed = job.resolve("processed");
            // today's file is archived with today's message; yesterday's message gets a report of its own
            String todays = awaitReportHolding(processed, received.id());
            assertThat(todays).contains("PROCESSED", today.length() + " bytes");
            try (Stream<Path> files = Files.list(processed)) {
                List<Path> dataFiles = files.filter(f -> !f.getFileName().toString().contains(".report")).toList();
                assertThat(dataFiles).hasSize(1);
                assertThat(dataFiles.get(0)).hasContent(today.strip());
            }
            assertThat(awaitReportHolding(processed, yesterday.messageId())).contains("MISSING");
        }
    }

    private static String report(Path failed, String name) throws Exception {
        Path report = failed.resolve(name + ".report.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));
        return Files.readString(report);
    }

    private static String awaitReportHolding(Path folder, String text) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Stream<Path> files = Files.list(folder)) {
                // a report whose name was taken is <file>.report.<row>.txt
                for (Path f : files.filter(f -> f.getFileName().toString().contains(".report")).toList()) {
                    String report = Files.readString(f);
                    if (report.contains(text)) {
                        return report;
                    }
                }
                return null;
            }
        }, r -> r != null);
    }

    private static String awaitReportStartingWith(Path failed, String prefix) throws Exception {
        Path report = await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Stream<Path> files = Files.list(failed)) {
                return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                        && f.getFileName().toString().endsWith(".report.txt")).findFirst().orElse(null);
            }
        }, p -> p != null);
        return Files.readString(report, StandardCharsets.UTF_8);
    }

    private static List<Path> inboxDataFiles(Path inbox) throws Exception {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static void run(String... command) throws Exception {
        run(command, null);
    }

    private static void run(String[] command, Path directory) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static void run(String a, String b, String c, Path directory) throws Exception {
        run(new String[] {a, b, c}, directory);
    }
}
