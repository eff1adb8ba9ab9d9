package io.github.rip.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.rip.auth.AuthProblem;
import io.github.rip.auth.AuthenticationFailedException;
import io.github.rip.connector.D365Environments;
import io.github.rip.journal.JournalGrid;
import io.github.rip.journal.OperatorJournal.JobControl;

/**
 * The jobs grid: each job with its state and the last 24 hours from the journal. A job is "paused" while an operator
 * has it paused, "failing" while it cannot get its work done (D365 or the network down so files wait in the inbox, an
 * inbox or SFTP server that cannot be read, an export poll that failed, D365 refusing the runner's identity), with the
 * problem in words, else "running".
 */
final class JobView {

    static final Duration WINDOW = Duration.ofHours(24);

    private final JobCatalog catalog;
    private final JobControls controls;
    private final JobFailures failures;
    private final JournalGrid grid;
    /** Authentication problems are per D365 environment: a job shows those of its own. */
    private final D365Environments environments;

    JobView(JobCatalog catalog, JobControls controls, JobFailures failures, JournalGrid grid,
            D365Environments environments) {
        this.catalog = catalog;
        this.controls = controls;
        this.failures = failures;
        this.grid = grid;
        this.environments = environments;
    }

    List<Map<String, Object>> all() {
        Instant since = Instant.now().minus(WINDOW);
        Map<String, JournalGrid.ImportCounts> imports = grid.importCounts(since);
        Map<String, JournalGrid.ExportCounts> exports = grid.exportCounts(since);
        Map<String, JournalGrid.Waiting> waiting = grid.waitingAfterFailure();
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (JobCatalog.Job job : catalog.jobs()) {
            jobs.add(describe(job, imports.get(job.name()), exports.get(job.name()), waiting.get(job.name()),
                    environments.forJob(job.name()).auth().problems()));
        }
        return jobs;
    }

    Map<String, Object> one(JobCatalog.Job job) {
        Instant since = Instant.now().minus(WINDOW);
        return describe(job, grid.importCounts(since).get(job.name()), grid.exportCounts(since).get(job.name()),
                grid.waitingAfterFailure().get(job.name()), environments.forJob(job.name()).auth().problems());
    }

    private Map<String, Object> describe(JobCatalog.Job job, JournalGrid.ImportCounts importCounts,
                                         JournalGrid.ExportCounts exportCounts, JournalGrid.Waiting waiting,
                                         List<AuthProblem> authProblems) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", job.name());
        out.put("kind", job.isImport() ? "import" : "export");
        out.put("source", job.source());
        out.put("template", job.template());
        out.put("routeId", job.routeId());
        out.put("routesFile", job.routesFile());
        out.put("activityId", job.activityId());
        out.put("environment", environments.forJob(job.name()).name()); // "" = the default D365 environment
        out.put("schedule", job.schedule());
        out.put("location", job.location());
        Optional<JobControl> control = controls.control(job.name());
        Problem problem = problem(job, waiting, authProblems);
        if (controls.isPaused(job.name())) {
            out.put("state", "paused");
        } else {
            out.put("state", problem == null ? "running" : "failing");
        }
        out.put("problem", problem == null ? null : problem.text());
        out.put("problemSince", problem == null ? null : time(problem.since()));
        out.put("changedBy", control.map(JobControl::changedBy).orElse(null));
        out.put("changedAt", control.map(c -> time(c.changedAt())).orElse(null));
        Map<String, Object> counts = new LinkedHashMap<>();
        Instant lastSuccess;
        if (job.isImport()) {
            JournalGrid.ImportCounts c = importCounts != null ? importCounts
                    : new JournalGrid.ImportCounts(0, 0, 0, 0, 0, null);
            counts.put("taken", c.taken());
            counts.put("enqueued", c.enqueued());
            counts.put("processed", c.processed());
            counts.put("failed", c.failed());
            counts.put("inD365", c.inD365());
            lastSuccess = c.lastSuccess() != null ? c.lastSuccess() : grid.lastImportSuccess(job.name()).orElse(null);
        } else {
            JournalGrid.ExportCounts c = exportCounts != null ? exportCounts
                    : new JournalGrid.ExportCounts(0, 0, 0, 0, null);
            counts.put("dequeued", c.dequeued());
            counts.put("delivered", c.delivered());
            counts.put("acked", c.acked());
            counts.put("failed", c.failed());
            lastSuccess = c.lastSuccess() != null ? c.lastSuccess() : grid.lastExportSuccess(job.name()).orElse(null);
        }
        out.put("counts24h", counts);
        out.put("lastSuccess", time(lastSuccess));
        return out;
    }

    private record Problem(String text, Instant since) {
    }

    /** The first reason the job cannot work now, most fundamental first. */
    private Problem problem(JobCatalog.Job job, JournalGrid.Waiting waiting, List<AuthProblem> authProblems) {
        for (AuthProblem p : authProblems) {
            if (p.scope().equals(AuthenticationFailedException.ENTRA_ID) || p.scope().equals(AuthenticationFailedException.D365)
                    || p.scope().equalsIgnoreCase(String.valueOf(job.activityId()))) {
                return new Problem("D365 authentication fails: " + p.problem() + " " + p.fix(), p.since());
            }
        }
        Optional<JobFailures.Failure> consumer = JobFailures.consumer(catalog.route(job), job.name());
        if (consumer.isPresent()) {
            return new Problem(consumer.get().message(), consumer.get().since());
        }
        if (!job.isImport()) {
            return failures.exportPoll(job.routeId()).map(f -> new Problem(f.message(), f.since())).orElse(null);
        }
        if (waiting != null) {
            return new Problem(waiting.fileName() + " waits in the inbox after: " + JobFailures.firstLine(
                    waiting.error()) + (waiting.retryAt() == null ? "" : " (next attempt " + waiting.retryAt() + ")"),
                    waiting.since());
        }
        return null;
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
