package io.github.rip.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.rip.emulator.EmulatorMessage;
import io.github.rip.emulator.Endpoint;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import io.github.rip.journal.JournalCompany;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Several companies through one job (RIS's "legal entity from the subfolder or the file name"): each file is enqueued
 * with its own company, journaled and reported with it, and a file whose company cannot be told or is not allowed goes
 * to failed/ with a report saying so, while the others keep flowing.
 */
class ImportCompaniesIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");

    @TempDir
    Path temp;

    @Test
    void companySubfoldersSendEachFileToItsCompanyAndKeepSameNamedFilesApart() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-by-folder", Map.of("companyFrom", "subfolder",
                "allowedCompanies", "USMF, DEMF"));
        try (PackRunner runner = runner(routes)) {
            Path job = runner.job("groups-by-folder");
            String usmf = Files.readString(SAMPLE);
            String demf = usmf + "50,Partners,,Net15\n";
            write(job.resolve("inbox/usmf/a.csv"), usmf);
            write(job.resolve("inbox/demf/a.csv"), demf);
            write(job.resolve("inbox/gbsi/a.csv"), usmf);
            // directly in inbox/, and the job has no company of its own
            write(job.resolve("inbox/loose.csv"), usmf);

            assertThat(runner.awaitOutcome("groups-by-folder", "usmf/a.csv")).startsWith("processed")
                    .contains("Company:     USMF");
            assertThat(runner.awaitOutcome("groups-by-folder", "demf/a.csv")).startsWith("processed")
                    .contains("Company:     DEMF");
            assertThat(runner.awaitOutcome("groups-by-folder", "gbsi/a.csv")).startsWith("failed")
                    .contains("'GBSI' is not one this job may import into; allowedCompanies: DEMF, USMF");
            assertThat(runner.awaitOutcome("groups-by-folder", "loose.csv")).startsWith("failed")
                    .contains("directly in inbox/").contains("companyFrom: subfolder");

            // two enqueues of a.csv, one per company, each with its own content; nothing for GBSI or the loose file
            List<EmulatorMessage> received = runner.emulator().messages();
            assertThat(received).extracting(EmulatorMessage::externalIdentifier, EmulatorMessage::company)
                    .containsExactlyInAnyOrder(tuple("a.csv", "USMF"), tuple("a.csv", "DEMF"));
            EmulatorMessage toDemf = received.stream().filter(m -> "DEMF".equals(m.company())).findFirst()
                    .orElseThrow();
            assertThat(Files.readString(toDemf.bodyPath())).isEqualTo(demf);

            // the archive keeps the company folder, so the two a.csv never meet
            assertThat(job.resolve("processed/usmf/a.csv")).hasContent(usmf);
            assertThat(job.resolve("processed/demf/a.csv")).hasContent(demf);
            assertThat(job.resolve("failed/gbsi/a.csv")).exists();
            assertThat(job.resolve("inbox/usmf")).isEmptyDirectory();

            ImportRecord usmfRow = runner.journal().latest("groups-by-folder", JournalCompany.of("USMF", true), "a.csv")
                    .orElseThrow();
            ImportRecord demfRow = runner.journal().latest("groups-by-folder", JournalCompany.of("DEMF", true), "a.csv")
                    .orElseThrow();
            assertThat(List.of(usmfRow, demfRow)).extracting(ImportRecord::company, ImportRecord::state)
                    .containsExactly(tuple("USMF", State.PROCESSED), tuple("DEMF", State.PROCESSED));
            assertThat(usmfRow.id()).isNotEqualTo(demfRow.id());
            assertThat(usmfRow.finalPath()).isEqualTo(job.resolve("processed/usmf/a.csv").toString());

            // the same file again for the other company is not a duplicate of the first; again for USMF it is
            write(job.resolve("inbox/demf/b.csv"), usmf);
            assertThat(runner.awaitOutcome("groups-by-folder", "demf/b.csv")).startsWith("processed");
            write(job.resolve("inbox/usmf/a.csv"), usmf);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> Files.exists(job.resolve("failed/usmf/a.csv.report.txt")));
            assertThat(job.resolve("failed/usmf/a.csv.report.txt")).content().contains("Duplicate");
        }
    }

    @Test
    void aNameTokenNamesTheCompanyAndAFileWithoutOneOrForAnotherCompanyIsRefused() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-by-name", Map.of(
                "companyFrom", "name:(?<company>[a-z0-9]{3,4})_.*", "allowedCompanies", "usmf,demf"));
        try (PackRunner runner = runner(routes)) {
            Path inbox = runner.job("groups-by-name").resolve("inbox");
            Files.copy(SAMPLE, inbox.resolve("usmf_groups.csv"));
            Files.copy(SAMPLE, inbox.resolve("groups.csv"));
            Files.copy(SAMPLE, inbox.resolve("gbsi_groups.csv"));

            assertThat(runner.awaitOutcome("groups-by-name", "usmf_groups.csv")).startsWith("processed")
                    .contains("Company:     USMF");
            assertThat(runner.awaitOutcome("groups-by-name", "groups.csv")).startsWith("failed")
                    .contains("The file name 'groups.csv' does not match the pattern (?<company>[a-z0-9]{3,4})_.*");
            assertThat(runner.awaitOutcome("groups-by-name", "gbsi_groups.csv")).startsWith("failed")
                    .contains("Company:     GBSI")
                    .contains("'GBSI' is not one this job may import into; allowedCompanies: DEMF, USMF");

            assertThat(runner.emulator().messages()).extracting(EmulatorMessage::externalIdentifier,
                    EmulatorMessage::company).containsExactly(tuple("usmf_groups.csv", "USMF"));
            assertThat(runner.journal().latest("groups-by-name", "gbsi_groups.csv").orElseThrow())
                    .extracting(ImportRecord::company, ImportRecord::state).containsExactly("GBSI", State.FAILED);
            assertThat(runner.journal().latest("groups-by-name", "groups.csv").orElseThrow())
                    .extracting(ImportRecord::company, ImportRecord::state).containsExactly(null, State.FAILED);
        }
    }

    @Test
    void linksAndFoldersInsideCompanyFoldersAndFoldersThatAreNoCompanyAreRefusedAndTheRestFlows() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-by-folder", Map.of("companyFrom", "subfolder"));
        Path secret = Files.writeString(Files.createDirectories(temp.resolve("elsewhere")).resolve("passwd"),
                "root:x:0:0:root:/root:/bin/bash\n");
        try (PackRunner runner = runner(routes)) {
            Path job = runner.job("groups-by-folder");
            Path usmf = Files.createDirectories(job.resolve("inbox/usmf"));
            Files.createSymbolicLink(usmf.resolve("passwd.csv"), secret);
            Files.createDirectories(usmf.resolve("nested"));
            Files.writeString(usmf.resolve("nested/deep.csv"), Files.readString(SAMPLE));
            Files.createDirectories(job.resolve("inbox/archive-2024"));
            Files.writeString(job.resolve("inbox/archive-2024/old.csv"), Files.readString(SAMPLE));
            write(usmf.resolve("ordinary.csv"), Files.readString(SAMPLE));

            assertThat(runner.awaitOutcome("groups-by-folder", "usmf/passwd.csv")).startsWith("failed")
                    .contains("symbolic link");
            assertThat(runner.awaitOutcome("groups-by-folder", "usmf/nested")).startsWith("failed")
                    .contains("not a company folder directly in the inbox");
            assertThat(runner.awaitOutcome("groups-by-folder", "archive-2024")).startsWith("failed")
                    .contains("not a company folder directly in the inbox");
            assertThat(runner.awaitOutcome("groups-by-folder", "usmf/ordinary.csv")).startsWith("processed");

            assertThat(runner.emulator().messages()).extracting(EmulatorMessage::externalIdentifier,
                    EmulatorMessage::company).containsExactly(tuple("ordinary.csv", "USMF"));
            assertThat(job.resolve("failed/usmf/passwd.csv")).isSymbolicLink();
            assertThat(job.resolve("failed/usmf/nested/deep.csv")).exists();
        }
    }

    @Test
    void theDashboardShowsTheCompanyAndARetryPutsTheFileBackIntoItsCompanyFolder() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-by-folder", Map.of("companyFrom", "subfolder"));
        try (PackRunner runner = runner(routes)) {
            Path job = runner.job("groups-by-folder");
            runner.emulator().faults().failNext(Endpoint.ENQUEUE, 400, 1);
            write(job.resolve("inbox/usmf/a.csv"), Files.readString(SAMPLE));
            assertThat(runner.awaitOutcome("groups-by-folder", "usmf/a.csv")).startsWith("failed")
                    .contains("Company:     USMF");
            long id = runner.journal().latest("groups-by-folder", JournalCompany.of("USMF", true), "a.csv")
                    .orElseThrow().id();
            DashboardClient client = new DashboardClient(runner.baseUrl());

            DashboardClient.Answer grid = client.get("/api/jobs/groups-by-folder/messages?q=usmf");
            assertThat(grid.status()).isEqualTo(200);
            assertThat(grid.body()).contains("\"company\":\"USMF\"");
            DashboardClient.Answer retry = client.act("/api/jobs/groups-by-folder/messages/" + id + "/retry");
            assertThat(retry.status()).as(retry.body()).isEqualTo(202);

            // back in inbox/usmf/, so it goes to USMF again
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> Files.exists(job.resolve("processed/usmf/a.csv.report.txt")));
            assertThat(job.resolve("processed/usmf/a.csv.report.txt")).content().contains("Company:     USMF");
            assertThat(runner.emulator().messages()).extracting(EmulatorMessage::company).containsExactly("USMF");
        }
    }

    private PackRunner runner(Path routes) throws Exception {
        return new PackRunner(temp.resolve("data")).set("rip.routes-dir", routes.toString())
                .set("emulator.exports.customer-groups.every", "0").start();
    }

    /** Written beside and renamed into place, as a partner's upload appears: never seen half written. */
    private static void write(Path target, String content) throws Exception {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, target);
    }
}
