package io.github.rip.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import io.github.rip.operations.JobCatalog;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Consumer;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * {@code enqueue FILE --job NAME}: FILE goes through the import job NAME exactly as a file dropped into its inbox: it
 * is copied into the inbox, the job's own route takes it (claim in the journal, duplicate check, XSLT or package as
 * configured, enqueue in the job's D365 environment, sent/), and D365's message id is printed. The runner follows the
 * message afterwards (jobstatus, processed/ or failed/ with a report) as for any file.
 * <p>
 * The simplest honest design: no second way through the steps. Hence its rules: the job's inbox must hold nothing
 * else (the job would take that too), and the runner should not be running (with H2 it cannot be: the journal is
 * locked; with PostgreSQL both would watch the same inbox).
 */
public final class EnqueueCommand extends OneOffCommand {

    static final String USAGE = """
            usage: enqueue FILE --job NAME [--json]
              takes FILE through the import job NAME as if it had been dropped into the job's inbox (journal, XSLT or
              package as configured, enqueue to the job's D365 environment, sent/) and prints D365's message id; the
              runner then follows the message to processed/ or failed/. For folder and package jobs (a package job
              also takes a batch folder). Run it while the runner is stopped, with nothing else in the job's inbox.
            exit codes: 0 enqueued, 1 not enqueued (rejected: see the report in failed/; D365 not reachable: the file
              waits in the inbox for the runner), 2 wrong arguments""";

    /** Generous: a large file, D365's retries in place and a slow network. */
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    /** The poll ran already when this is checked: a file without a journal row by then was not taken. */
    private static final Duration NOT_TAKEN_AFTER = Duration.ofSeconds(30);

    public EnqueueCommand(Class<? extends CamelConfiguration> configuration, String configLocation, PrintStream out) {
        super(configuration, configLocation, out);
    }

    @Override
    String usage() {
        return USAGE;
    }

    @Override
    Set<String> optionsWithValue() {
        return Set.of("--job");
    }

    @Override
    Set<String> flags() {
        return Set.of("--json");
    }

    @Override
    void check(CommandLine line) {
        if (line.positional.size() != 1 || line.option("--job") == null) {
            throw new CommandLine.UsageException("write 'enqueue FILE --job NAME'");
        }
        if (!Files.exists(Path.of(line.positional.get(0)))) {
            throw new CommandLine.UsageException("no file " + line.positional.get(0));
        }
    }

    @Override
    int run(CommandLine line, OneOffRunner runner, Output output) throws Exception {
        Path file = Path.of(line.positional.get(0)).toAbsolutePath();
        JobCatalog.Job job = runner.job(line.option("--job"));
        if (!job.isImport() || !List.of("folder", "package").contains(job.source())) {
            throw new CommandLine.UsageException("job '" + job.name() + "' is " + (job.isImport()
                    ? "an import from an SFTP server: put the file into its remote folder"
                    : "an export job") + "; enqueue takes folder and package import jobs");
        }
        Path inbox = Path.of(job.location());
        String name = file.getFileName().toString();
        output.put("job", job.name()).put("file", name).put("environment", runner.environment(job.name()).label());
        List<String> waiting = entries(inbox);
        if (!waiting.isEmpty()) {
            output.problem("the inbox of job '" + job.name() + "' (" + inbox + ") holds " + waiting.size()
                    + " entr" + (waiting.size() == 1 ? "y" : "ies") + " already (" + String.join(", ",
                    waiting.stream().limit(5).toList()) + (waiting.size() > 5 ? ", ..." : "") + "), which the job "
                    + "would take too: let the runner take them, or move them away first");
            return output.finish(false);
        }
        // the journal's name: a package job's batch folder becomes <folder>.zip
        String journalName = Files.isDirectory(file) && "package".equals(job.source()) ? name + ".zip" : name;
        Optional<ImportRecord> before = runner.imports().latest(job.name(), journalName);
        copy(file, inbox.resolve(name));

        runner.startRoutes("d365-call", "d365-request", "d365-import-pipeline", job.routeId());
        // one poll now, whatever the job's schedule (a cron job would otherwise wait for its next fire time)
        Consumer consumer = runner.context().getRoute(job.routeId()).getConsumer();
        if (consumer instanceof ScheduledPollConsumer poller) {
            poller.run();
        }
        ImportRecord row = outcome(runner, job.name(), journalName, before.map(ImportRecord::id).orElse(0L));
        runner.context().getRouteController().stopRoute(job.routeId());
        return report(output, job, inbox, name, row);
    }

    /** Waits until the job's row of this file is enqueued, rejected or waiting for a retry. */
    private static ImportRecord outcome(OneOffRunner runner, String job, String name, long earlierRow)
            throws InterruptedException {
        Instant started = Instant.now();
        while (true) {
            Optional<ImportRecord> row = runner.imports().latest(job, name).filter(r -> r.id() > earlierRow);
            if (row.isPresent() && (row.get().state() != State.CLAIMED || row.get().retryAt() != null)) {
                return row.get();
            }
            Duration waited = Duration.between(started, Instant.now());
            if (row.isEmpty() && waited.compareTo(NOT_TAKEN_AFTER) > 0 || waited.compareTo(TIMEOUT) > 0) {
                return row.orElse(null); // none: a name the job does not take (include, temporary names)
            }
            Thread.sleep(200); // the job's own route does the work; this only watches the journal
        }
    }

    private static int report(Output output, JobCatalog.Job job, Path inbox, String name, ImportRecord row) {
        if (row == null) {
            Path report = Path.of(job.jobFolder(), "failed", name + ".report.txt");
            output.problem(Files.exists(report) ? "job '" + job.name() + "' refused " + name + " before taking it; "
                    + "see " + report : "job '" + job.name() + "' did not take " + name + " (its include pattern or "
                    + "the temporary-name rules leave it out); it was left in " + inbox);
            return output.finish(false);
        }
        output.put("journalId", row.id()).put("state", row.state().name()).put("messageId", row.messageId());
        if (row.state() == State.ENQUEUED || row.state() == State.PROCESSED) {
            output.line("enqueued " + name + " as message " + row.messageId() + " (job " + job.name() + ", "
                    + output.get("environment") + ", journal row " + row.id() + ")");
            output.line("the runner follows it to processed/ or failed/; or ask: status " + row.messageId());
            return output.finish(true);
        }
        output.put("error", row.lastError());
        if (row.state() == State.FAILED) {
            output.put("report", row.finalPath() == null ? null : row.finalPath() + ".report.txt");
            output.problem("rejected: " + firstLine(row.lastError()) + (row.finalPath() == null ? ""
                    : "; the file and its report are in " + Path.of(row.finalPath()).getParent()));
        } else if (row.retryAt() == null) {
            output.problem("no outcome within " + TIMEOUT.toMinutes() + " minutes; the runner finishes it (journal row "
                    + row.id() + ")");
        } else {
            output.put("retryAt", String.valueOf(row.retryAt()));
            output.problem("not enqueued: " + firstLine(row.lastError()) + "; the file waits in " + inbox
                    + " and the runner tries again from " + row.retryAt());
        }
        return output.finish(false);
    }

    private static List<String> entries(Path inbox) throws IOException {
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(inbox)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Into the inbox with its modification time, so the job's "stopped changing" rule takes it at once. */
    private static void copy(Path file, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (!Files.isDirectory(file)) {
            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try (Stream<Path> walk = Files.walk(file)) {
            for (Path p : walk.toList()) {
                Files.copy(p, target.resolve(file.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
