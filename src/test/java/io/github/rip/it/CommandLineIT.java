package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.DataJobState;
import io.github.rip.journal.ExportJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one-off commands as an operator runs them (a JVM each, configured through the environment) against a D365
 * emulator over HTTPS and the runner's real journal: enqueue, status and dequeue, their --help, --json and exit codes,
 * and a runner started afterwards that carries on from what they journaled.
 */
class CommandLineIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");

    @TempDir
    Path temp;

    @Test
    void enqueueStatusAndDequeueWorkOnTheJobsJournalAndTheRunnerCarriesOn() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path data = temp.resolve("data");
        Path target = temp.resolve("target");
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups", Map.of());
        ExportFixtures.writeJob(routes, "groups-export", data.resolve("export/groups-export"), "file:" + target,
                Map.of());
        try (StandaloneEmulator standalone = new StandaloneEmulator(temp.resolve("emulator"), b -> { }).start()) {
            D365Emulator emulator = standalone.get();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("RIP_DATA_DIR", data.toString());
            env.put("RIP_ROUTES_DIR", routes.toString());
            env.put("D365_BASE_URL", emulator.baseUrl());
            env.put("D365_AUTHORITY", emulator.authority());
            env.put("D365_TRUSTSTORE_PATH", emulator.trustStore().toString());
            env.put("D365_TRUSTSTORE_PASSWORD", emulator.trustStorePassword());
            env.put("D365_CLIENT_ID", StandaloneEmulator.CLIENT_ID);
            env.put("D365_CLIENT_SECRET", StandaloneEmulator.SECRET);

            for (String command : new String[] {"enqueue", "status", "dequeue"}) {
                PackCommand.Result help = PackCommand.run(temp, env, command, "--help");
                assertThat(help.exitCode()).as(help.output()).isZero();
                assertThat(help.output()).startsWith("usage: " + command).contains("exit codes: 0 ");
            }

            // enqueue: through the job's steps, into D365, journaled; the message id is printed
            PackCommand.Result enqueued = PackCommand.run(temp, env, "enqueue", SAMPLE.toString(), "--job", "groups");
            assertThat(enqueued.exitCode()).as(enqueued.output()).isZero();
            assertThat(emulator.messages()).hasSize(1);
            String messageId = emulator.messages().get(0).id();
            assertThat(enqueued.output()).contains("enqueued customer-groups.csv as message " + messageId);
            assertThat(data.resolve("import/groups/sent/customer-groups.csv")).exists();
            assertThat(emulator.messages().get(0).externalIdentifier()).isEqualTo("customer-groups.csv");

            // the same file again: the job's duplicate rule rejects it, with its report, and nothing reaches D365
            PackCommand.Result again = PackCommand.run(temp, env, "enqueue", SAMPLE.toString(), "--job", "groups");
            assertThat(again.exitCode()).as(again.output()).isEqualTo(1);
            assertThat(again.output()).contains("rejected: Duplicate");
            assertThat(data.resolve("import/groups/failed/customer-groups.csv.report.txt")).exists();
            assertThat(emulator.messages()).hasSize(1);

            // status: the journal's row and D365's live state
            await().atMost(Duration.ofSeconds(30)).until(() -> emulator.message(messageId)
                    .map(m -> m.state() == DataJobState.PROCESSED).orElse(false));
            PackCommand.Result status = PackCommand.run(temp, env, "status", messageId, "--json");
            assertThat(status.exitCode()).as(status.output()).isZero();
            JsonNode message = status.json().get("message");
            assertThat(message.get("job").asText()).isEqualTo("groups");
            assertThat(message.get("state").asText()).isEqualTo("ENQUEUED");
            assertThat(message.get("d365Now").asText()).isEqualTo("Processed");
            PackCommand.Result byJob = PackCommand.run(temp, env, "status", "--job", "groups");
            assertThat(byJob.exitCode()).as(byJob.output()).isZero();
            assertThat(byJob.output()).contains("customer-groups.csv  ENQUEUED  message " + messageId)
                    .contains("D365 now: Processed");
            PackCommand.Result unknown = PackCommand.run(temp, env, "status", "00000000-0000-0000-0000-0000000000aa");
            assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(1);

            // dequeue: one message into a folder, journaled as delivered and acknowledged (the emulator also publishes
            // on its demo schedule: which message comes first is D365's business)
            emulator.publishGenerated(ExportFixtures.activity(), 5);
            Path support = temp.resolve("support");
            PackCommand.Result acked = PackCommand.run(temp, env, "dequeue", "--job", "groups-export", "--to",
                    support.toString());
            assertThat(acked.exitCode()).as(acked.output()).isZero();
            assertThat(acked.output()).contains("acknowledged");
            String taken = acked.output().replaceAll("(?s).*message (\\S+) of job groups-export.*", "$1");
            assertThat(emulator.exportMessage(taken).orElseThrow().ackedAt()).isNotNull();
            assertThat(support.resolve("groups-export_" + taken + ".zip")).exists();

            // --no-ack leaves it with D365, which offers it again after its visibility timeout (here 1 s)
            emulator.visibilityTimeout(Duration.ofSeconds(1));
            emulator.publishGenerated(ExportFixtures.activity(), 5);
            PackCommand.Result dequeued = PackCommand.run(temp, env, "dequeue", "--job", "groups-export", "--to",
                    support.toString(), "--no-ack", "--json");
            assertThat(dequeued.exitCode()).as(dequeued.output()).isZero();
            String kept = dequeued.json().get("correlationId").asText();
            assertThat(kept).isNotEqualTo(taken);
            assertThat(dequeued.json().get("acked").asBoolean()).isFalse();
            Path saved = support.resolve("groups-export_" + kept + ".zip");
            assertThat(saved).hasSize(emulator.exportMessage(kept).orElseThrow().size());
            assertThat(emulator.exportMessage(kept).orElseThrow().ackedAt()).isNull();

            PackCommand.Result wrong = PackCommand.run(temp, env, "dequeue", "--job", "groups");
            assertThat(wrong.exitCode()).as(wrong.output()).isEqualTo(2);
            assertThat(wrong.output()).contains("job 'groups' is an import job");

            // the runner carries on: it archives the enqueued file and only acknowledges the message taken by hand
            try (PackRunner runner = standalone.configure(new PackRunner(data))
                    .set("rip.routes-dir", routes.toString()).set("rip.export.poll-interval", "300").start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(
                        data.resolve("import/groups/processed/customer-groups.csv.report.txt")));
                await().atMost(Duration.ofSeconds(30)).until(() -> emulator.exportMessage(kept).orElseThrow()
                        .ackedAt() != null);
                assertThat(runner.context().getRegistry().lookupByNameAndType("exportJournal", ExportJournal.class)
                        .byCorrelationId("groups-export", kept).orElseThrow().state())
                        .isEqualTo(ExportJournal.State.ACKED);
                assertThat(target).as("never delivered by the runner: the command took it")
                        .satisfiesAnyOf(t -> assertThat(t).doesNotExist(), t -> assertThat(t)
                                .isDirectoryNotContaining(p -> p.getFileName().toString().contains(kept)));
            }
        }
    }
}
