package io.github.rip.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import io.github.rip.connector.D365Call;
import io.github.rip.connector.D365Environment;
import io.github.rip.exporting.DequeueResponse;
import io.github.rip.exporting.DownloadLocation;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ExportRecord;
import io.github.rip.operations.JobCatalog;
import io.github.rip.support.Sha256;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Exchange;

/**
 * {@code dequeue --job NAME [--to DIR] [--no-ack]}: takes ONE message from an export job's queue in D365 (its
 * environment, its activity), downloads the package as it is into DIR (no unzip, no XSLT, not to the job's target) and
 * journals it as delivered under the job, so the runner never delivers it again: if D365 offers it again (after
 * {@code --no-ack}, or a lost ack) the runner only acknowledges it. For support cases: look at what D365 exports.
 */
public final class DequeueCommand extends OneOffCommand {

    static final String USAGE = """
            usage: dequeue --job NAME [--to DIR] [--no-ack] [--json]
              takes ONE message from the export job's queue in D365, downloads its package as it is (no unzip, no XSLT,
              not to the job's target) into DIR (default: the current folder) as <job>_<CorrelationId>.zip and
              acknowledges it; the journal records it as delivered, so the runner never delivers it again
              --no-ack   leave it unacknowledged: D365 offers it again after its visibility timeout (30 minutes), and
                         the runner then only acknowledges it
            exit codes: 0 a message was taken (or the queue is empty), 1 failed (D365, the download, the folder),
              2 wrong arguments""";

    public DequeueCommand(Class<? extends CamelConfiguration> configuration, String configLocation, PrintStream out) {
        super(configuration, configLocation, out);
    }

    @Override
    String usage() {
        return USAGE;
    }

    @Override
    Set<String> optionsWithValue() {
        return Set.of("--job", "--to");
    }

    @Override
    Set<String> flags() {
        return Set.of("--json", "--no-ack");
    }

    @Override
    void check(CommandLine line) {
        if (!line.positional.isEmpty() || line.option("--job") == null) {
            throw new CommandLine.UsageException("write 'dequeue --job NAME [--to DIR] [--no-ack]'");
        }
    }

    @Override
    int run(CommandLine line, OneOffRunner runner, Output output) throws Exception {
        JobCatalog.Job job = runner.job(line.option("--job"));
        if (job.isImport()) {
            throw new CommandLine.UsageException("job '" + job.name() + "' is an import job; dequeue takes export "
                    + "jobs");
        }
        Path folder = Path.of(line.option("--to") == null ? "." : line.option("--to")).toAbsolutePath().normalize();
        Files.createDirectories(folder);
        D365Environment environment = runner.environment(job.name());
        output.put("job", job.name()).put("environment", environment.label());

        Exchange dequeued = runner.call(D365Call.dequeue(job.activityId()), job.name());
        if (dequeued.getException() != null) {
            return failed(output, "dequeue", dequeued.getException());
        }
        String json = dequeued.getMessage().getBody(String.class);
        if (json == null || json.isBlank()) {
            output.put("correlationId", null);
            output.line("the queue of job " + job.name() + " is empty (" + environment.label() + ")");
            return output.finish(true);
        }
        DequeueResponse message = DequeueResponse.parse(json);
        output.put("correlationId", message.correlationId());
        ExportJournal journal = runner.exports();
        Optional<ExportRecord> known = journal.byCorrelationId(job.name(), message.correlationId());
        long id;
        // the same compare-and-set as a runner's export poll: a runner that took this hand-over first keeps it
        OptionalLong opened = known.isEmpty() ? journal.open(job.name(), job.activityId(), message.correlationId(),
                message.popReceipt(), message.downloadLocation()) : OptionalLong.empty();
        boolean taken = known.isPresent()
                ? journal.redequeued(known.get().id(), known.get().attempts(), known.get().state(),
                        message.popReceipt(), message.downloadLocation(), !known.get().isSettled())
                : opened.isPresent();
        if (!taken) {
            output.problem("message " + message.correlationId() + " is being handled by a runner at this moment; "
                    + "left to it");
            return output.finish(false);
        }
        id = known.isPresent() ? known.get().id() : opened.getAsLong();
        output.put("journalId", id);
        if (!message.hasFile()) {
            journal.problem(id, null, "Taken by the dequeue command: D365 has no file for it: "
                    + message.fileErrorMessage());
            output.problem("message " + message.correlationId() + " has no file in D365 (" + message.fileErrorMessage()
                    + "); not acknowledged, D365 offers it again");
            return output.finish(false);
        }

        // the token only ever goes to the host of this environment, as in the runner
        DownloadLocation location = DownloadLocation.resolve(message.downloadLocation(), environment.baseUrl(),
                environment.setting("base-url"));
        Exchange download = runner.call(D365Call.download(job.activityId(), location.path(), location.query()),
                job.name());
        if (download.getException() != null) {
            journal.problem(id, null, "Download by the dequeue command failed: "
                    + download.getException().getMessage());
            return failed(output, "download", download.getException());
        }
        Path target = folder.resolve(job.name() + "_" + message.correlationId() + ".zip");
        long size = save(download.getMessage().getBody(InputStream.class), target, id, journal);
        journal.delivered(id, List.of(target.toString()));
        output.put("file", target.toString()).put("size", size);
        output.line("message " + message.correlationId() + " of job " + job.name() + " (" + environment.label()
                + ") saved as " + target + " (" + size + " bytes)");

        if (line.has("--no-ack")) {
            output.put("acked", false);
            output.line("not acknowledged: D365 offers it again after its visibility timeout, and the runner then only "
                    + "acknowledges it (journal row " + id + ", DELIVERED)");
            return output.finish(true);
        }
        Exchange ack = runner.call(D365Call.ack(job.activityId(), message.json()), job.name());
        if (ack.getException() != null) {
            output.put("acked", false);
            return failed(output, "ack (the package is saved and journaled; D365 offers the message again and the "
                    + "runner then acknowledges it)", ack.getException());
        }
        journal.acked(id);
        output.put("acked", true);
        output.line("acknowledged (journal row " + id + ", ACKED)");
        return output.finish(true);
    }

    /** Streams the package to a temporary name, renamed when complete; the journal gets its SHA-256 and size. */
    private static long save(InputStream body, Path target, long id, ExportJournal journal) throws IOException {
        Path part = target.resolveSibling(".part-" + target.getFileName());
        MessageDigest sha = Sha256.digest();
        long size;
        try (InputStream in = body; OutputStream out = new DigestOutputStream(Files.newOutputStream(part), sha)) {
            size = in == null ? 0 : in.transferTo(out);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        journal.downloaded(id, Sha256.hex(sha), size, target.getFileName().toString());
        return size;
    }

    private static int failed(Output output, String step, Exception e) {
        output.problem(step + " failed: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        return output.finish(false);
    }
}
