package io.github.rip.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.rip.connector.D365Call;
import io.github.rip.importing.JobStatus;
import io.github.rip.journal.ExportRecord;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import io.github.rip.journal.JournalGrid;
import io.github.rip.operations.JobCatalog;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Exchange;

/**
 * {@code status MESSAGE-ID} / {@code status --job NAME}: what the journal knows of a message (or of a job's latest
 * messages) and, for an import message D365 has not finished in the journal, what D365 says now (jobstatus, in the
 * job's environment). Reads only: nothing moves, the journal is not changed.
 */
public final class StatusCommand extends OneOffCommand {

    static final String USAGE = """
            usage: status MESSAGE-ID [--json]
                   status --job NAME [--limit N] [--json]
              MESSAGE-ID   an import message id (as enqueue printed it) or an export CorrelationId: the journal's row
                           and, for an import D365 has not finished, its live state in D365 (jobstatus)
              --job NAME   the job's latest messages (10, or --limit), with D365's live state for those in D365 now
              changes nothing: no file moves, the journal is only read
            exit codes: 0 found (and D365 answered), 1 unknown message or D365 could not be asked, 2 wrong arguments""";

    public StatusCommand(Class<? extends CamelConfiguration> configuration, String configLocation, PrintStream out) {
        super(configuration, configLocation, out);
    }

    @Override
    String usage() {
        return USAGE;
    }

    @Override
    Set<String> optionsWithValue() {
        return Set.of("--job", "--limit");
    }

    @Override
    Set<String> flags() {
        return Set.of("--json");
    }

    @Override
    void check(CommandLine line) {
        boolean byId = line.positional.size() == 1 && line.option("--job") == null;
        boolean byJob = line.positional.isEmpty() && line.option("--job") != null;
        if (!byId && !byJob) {
            throw new CommandLine.UsageException("write 'status MESSAGE-ID' or 'status --job NAME'");
        }
        if (line.option("--limit") != null && !line.option("--limit").matches("[1-9]\\d{0,3}")) {
            throw new CommandLine.UsageException("--limit takes a number from 1 to 9999");
        }
    }

    @Override
    int run(CommandLine line, OneOffRunner runner, Output output) throws Exception {
        if (line.option("--job") != null) {
            return job(runner, runner.job(line.option("--job")), line.option("--limit") == null ? 10
                    : Integer.parseInt(line.option("--limit")), output);
        }
        String id = line.positional.get(0).trim();
        for (JobCatalog.Job job : runner.jobs()) {
            JournalGrid.Filter filter = new JournalGrid.Filter(null, id, 0, 50);
            if (job.isImport()) {
                Optional<ImportRecord> row = runner.grid().imports(job.name(), filter).rows().stream()
                        .filter(r -> id.equalsIgnoreCase(r.messageId())).findFirst();
                if (row.isPresent()) {
                    Map<String, Object> shown = importRow(runner, row.get(), output);
                    output.put("message", shown);
                    return output.finish(!shown.containsKey("d365Problem"));
                }
            } else {
                Optional<ExportRecord> row = runner.grid().exports(job.name(), filter).rows().stream()
                        .filter(r -> id.equalsIgnoreCase(r.correlationId())).findFirst();
                if (row.isPresent()) {
                    output.put("message", exportRow(row.get(), output));
                    return output.finish(true);
                }
            }
        }
        output.problem("no job's journal knows a message " + id + " (import message ids and export CorrelationIds "
                + "are looked for; rows older than rip.retention.days are purged)");
        return output.finish(false);
    }

    private static int job(OneOffRunner runner, JobCatalog.Job job, int limit, Output output) throws Exception {
        JournalGrid.Filter filter = new JournalGrid.Filter(null, null, 0, limit);
        List<Map<String, Object>> rows = new ArrayList<>();
        output.put("job", job.name()).put("environment", runner.environment(job.name()).label());
        output.line("job " + job.name() + " (" + (job.isImport() ? "import" : "export") + ", "
                + runner.environment(job.name()).label() + "), latest " + limit + ":");
        boolean answered = true;
        if (job.isImport()) {
            for (ImportRecord r : runner.grid().imports(job.name(), filter).rows()) {
                Map<String, Object> shown = importRow(runner, r, output);
                answered &= !shown.containsKey("d365Problem");
                rows.add(shown);
            }
        } else {
            for (ExportRecord r : runner.grid().exports(job.name(), filter).rows()) {
                rows.add(exportRow(r, output));
            }
        }
        if (rows.isEmpty()) {
            output.line("  no messages in the journal");
        }
        output.put("messages", rows);
        return output.finish(answered);
    }

    /** The row, and D365's state now when the journal still waits for it. */
    private static Map<String, Object> importRow(OneOffRunner runner, ImportRecord r, Output output) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("job", r.job());
        row.put("file", r.fileName());
        row.put("company", r.company());
        row.put("messageId", r.messageId());
        row.put("state", r.state().name());
        row.put("d365State", r.d365State());
        row.put("summary", r.d365Summary());
        row.put("attempts", r.attempts());
        row.put("enqueuedAt", text(r.enqueuedAt()));
        row.put("completedAt", text(r.completedAt()));
        row.put("error", r.lastError());
        row.put("archived", r.finalPath() != null ? r.finalPath() : r.sentPath());
        output.line("  " + r.fileName() + "  " + r.state() + (r.messageId() == null ? "" : "  message " + r.messageId())
                + (r.company() == null ? "" : "  company " + r.company())
                + (r.d365Summary() != null ? "  " + r.d365Summary() : r.d365State() == null ? "" : "  D365 "
                + r.d365State()) + (r.lastError() == null || r.state() == State.PROCESSED ? ""
                : "  error: " + r.lastError().lines().findFirst().orElse("")));
        if (r.state() == State.ENQUEUED && r.messageId() != null) {
            Exchange answer = runner.call(D365Call.jobStatus(r.activityId(), r.messageId()), r.job());
            if (answer.getException() != null) {
                String problem = "D365 could not be asked about " + r.messageId() + ": "
                        + answer.getException().getMessage().lines().findFirst().orElse("");
                row.put("d365Problem", problem);
                output.problem(problem);
            } else {
                JobStatus live = JobStatus.parse(answer.getMessage().getBody(String.class));
                row.put("d365Now", live.state());
                List<Map<String, Object>> entities = new ArrayList<>();
                for (JobStatus.EntityStatus e : live.entities()) {
                    entities.add(Map.of("entity", String.valueOf(e.entityName()), "imported", e.targetRecords(),
                            "errors", e.stagingErrors() + e.targetErrors()));
                }
                row.put("d365Entities", entities);
                output.line("    D365 now: " + live.state() + (live.terminal() ? " (the runner archives it at its next"
                        + " status check)" : ""));
            }
        }
        return row;
    }

    private static Map<String, Object> exportRow(ExportRecord r, Output output) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("job", r.job());
        row.put("correlationId", r.correlationId());
        row.put("state", r.state().name());
        row.put("package", r.packageName());
        row.put("files", r.deliveredFileNames());
        row.put("attempts", r.attempts());
        row.put("dequeuedAt", text(r.createdAt()));
        row.put("ackedAt", text(r.ackedAt()));
        row.put("error", r.lastError());
        output.line("  " + r.correlationId() + "  " + r.state() + (r.deliveredFileNames().isEmpty() ? ""
                : "  " + String.join(", ", r.deliveredFileNames())) + (r.lastError() == null ? ""
                : "  error: " + r.lastError().lines().findFirst().orElse("")));
        return row;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
