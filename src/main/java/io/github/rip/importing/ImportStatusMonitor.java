package io.github.rip.importing;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.rip.auth.AuthenticationFailedException;
import io.github.rip.connector.D365Call;
import io.github.rip.connector.D365Environments;
import io.github.rip.connector.D365RefusedException;
import io.github.rip.connector.ODataValue;
import io.github.rip.connector.TransientD365Exception;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status monitor's steps: which messages to ask D365 about, and what a jobstatus answer (or, for a package API
 * row, a GetExecutionSummaryStatus answer and on failure its GetExecutionErrors) means for the archived file. A message D365 has not finished after {@code rip.status.overdue-after} is reported once and asked about less
 * often ({@link OverdueMessages}); a message whose file is gone from sent/ is still asked about, and its final report
 * says the file was missing.
 */
public class ImportStatusMonitor {

    /** The journal row being checked (exchange property). */
    public static final String RECORD = "ripRecord";
    /** A package API execution that ended in failure, waiting for its GetExecutionErrors (exchange property). */
    public static final String FAILED_EXECUTION = "ripFailedExecution";

    private static final Logger LOG = LoggerFactory.getLogger(ImportStatusMonitor.class);

    private final ImportJournal journal;
    private final D365Environments environments;
    private final OverdueMessages overdue;
    /** Rows whose missing sent/ file this run has already logged. */
    private final Set<Long> missingLogged = ConcurrentHashMap.newKeySet();
    private int batchSize = 100;

    public ImportStatusMonitor(ImportJournal journal, D365Environments environments, Duration overdueAfter,
                               Duration overduePollInterval) {
        this.journal = journal;
        this.environments = environments;
        this.overdue = new OverdueMessages(journal, overdueAfter, overduePollInterval);
    }

    /**
     * The messages to ask D365 about this round, least recently checked first (an overdue one only every
     * overdue-poll-interval). Every row returned by the journal is either checked or sent to the back of the queue,
     * so rows that cannot be checked never hold the others up.
     */
    public List<ImportRecord> pending() {
        Instant overdueCheckedBefore = Instant.now().minus(overdue.pollInterval());
        List<ImportRecord> toCheck = new ArrayList<>();
        for (ImportRecord record : journal.dueForStatusCheck(batchSize, overdueCheckedBefore)) {
            if (onItsWayToSent(record)) {
                // The file is still in the inbox (being moved, or a crash before the move, resumed by its job): a
                // final answer now would archive nothing, and the job would then take the file as a new one.
                journal.statusChecked(record.id(), null);
                overdue.check(record, record.d365State());
                continue;
            }
            if (!inSent(record) && !archived(record) && missingLogged.add(record.id())) {
                LOG.warn("{}: {} (message {}) is no longer in sent/ (expected at {}); D365 is still asked about the "
                        + "message, and its report will say the data file was missing", record.job(),
                        record.fileName(), record.messageId(), record.sentPath());
            }
            toCheck.add(record);
        }
        return toCheck;
    }

    /** Applies a jobstatus answer (body): on a terminal state the file moves to processed/ or failed/ with a report. */
    public void apply(Exchange exchange) {
        ImportRecord record = exchange.getProperty(RECORD, ImportRecord.class);
        String answer = exchange.getMessage().getBody(String.class);
        JobStatus status = record.isPackageApi()
                ? JobStatus.ofExecution(ODataValue.text(answer), record.messageId(), record.activityId(), null, answer)
                : JobStatus.parse(answer);
        if (!status.terminal()) {
            journal.statusChecked(record.id(), status.state());
            overdue.check(record, status.state());
            return;
        }
        if (record.isPackageApi() && status.failed()) {
            // the report says why: the route asks GetExecutionErrors, then executionErrors completes the row
            exchange.setProperty(FAILED_EXECUTION, status);
            exchange.setProperty(D365Call.PROPERTY, D365Call.executionErrors(record.messageId()));
            return;
        }
        complete(record, status);
    }

    /** GetExecutionErrors answered (body) for a failed package API execution: the row completes with them. */
    public void executionErrors(Exchange exchange) {
        ImportRecord record = exchange.getProperty(RECORD, ImportRecord.class);
        JobStatus status = exchange.getProperty(FAILED_EXECUTION, JobStatus.class);
        complete(record, status.withExecutionErrors(exchange.getMessage().getBody(String.class)));
    }

    /**
     * Archives a finished message in steps that a crash can cut anywhere: the archive name is journaled first, then the
     * file moves, then the report is (re)written, then the row becomes terminal. A restart finds the name in the row and
     * the file already there, and only finishes what is left.
     */
    private void complete(ImportRecord record, JobStatus status) {
        long id = record.id();
        State state = status.succeeded() ? State.PROCESSED : State.FAILED;
        Path target = record.finalPath() != null ? Path.of(record.finalPath()) : null;
        if (target == null) {
            Path folder = Path.of(status.succeeded() ? record.processedDir() : record.failedDir());
            target = ArchiveFolder.freeNameWithReport(folder, archiveName(record), id);
            journal.archiving(id, target.toString());
        }
        if (inSent(record)) {
            Path moved = ArchiveFolder.move(Path.of(record.sentPath()), target, id);
            if (!moved.equals(target)) { // taken meanwhile by someone else's file: the row follows the file
                journal.archiving(id, moved.toString());
                target = moved;
            }
        }
        boolean missing = !Files.exists(target);
        Path report = ArchiveFolder.replaceReport(target, ImportReport.completed(journal.find(id).orElse(record),
                record.job(), status, missing));
        journal.completed(id, state, status.state(), summary(status), (missing ? report : target).toString());
        missingLogged.remove(id);
        overdue.resolved(record);
        String overdueNote = record.overdueAt() == null ? "" : " after being reported overdue";
        if (missing) {
            LOG.warn("{}: {} (message {}) finished in D365 as {}{}, but its data file was missing from sent/; "
                    + "report {}", record.job(), record.fileName(), record.messageId(), status.state(), overdueNote,
                    report);
        } else if (status.succeeded()) {
            LOG.info("{}: {} processed by D365 (message {}){}", record.job(), record.fileName(), record.messageId(),
                    overdueNote);
        } else {
            LOG.warn("{}: {} failed in D365 with {} (message {}){}; see {}", record.job(), record.fileName(),
                    status.state(), record.messageId(), overdueNote, report);
        }
    }

    /** A status check failed (network, 5xx, unknown message, refused): remembered, checked again next round. */
    public void problem(Exchange exchange) {
        ImportRecord record = exchange.getProperty(RECORD, ImportRecord.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer status = caught instanceof TransientD365Exception t ? t.httpStatus()
                : caught instanceof D365RefusedException r ? Integer.valueOf(r.httpStatus()) : null;
        Optional<AuthenticationFailedException> refusal = AuthenticationFailedException.in(caught);
        String text = refusal.map(Throwable::getMessage).orElse(String.valueOf(caught));
        journal.statusProblem(record.id(), refusal.map(TransientD365Exception::httpStatus).orElse(status),
                "Status check failed: " + text, record.d365State());
        journal.statusChecked(record.id(), null);
        overdue.check(record, record.d365State());
        if (refusal.isPresent()) {
            environments.of(exchange).auth().failed(refusal.get()); // said once for all messages and files, not per check
            return;
        }
        LOG.warn("{}: status check of message {} failed, will retry: {}", record.job(), record.messageId(),
                caught == null ? "?" : caught.getMessage());
    }

    /**
     * Sets the journal row to check (body) and its status call for the D365 call route: jobstatus for a connector row,
     * GetExecutionSummaryStatus for a package API row (its message id is the execution id).
     */
    public void statusCall(Exchange exchange) {
        ImportRecord record = exchange.getMessage().getBody(ImportRecord.class);
        exchange.setProperty(RECORD, record);
        // asked in the environment its job talks to (the journal row names the job)
        D365Environments.use(exchange, environments.forJob(record.job()).name());
        exchange.removeProperty(FAILED_EXECUTION);
        exchange.setProperty(D365Call.PROPERTY, record.isPackageApi()
                ? D365Call.executionSummaryStatus(record.messageId())
                : D365Call.jobStatus(record.activityId(), record.messageId()));
    }

    /** Whether the row's file is in sent/, where the monitor expects it. */
    static boolean inSent(ImportRecord record) {
        return record.sentPath() != null && Files.exists(Path.of(record.sentPath()));
    }

    /** Moved to processed/ or failed/ already, by a completion a crash cut short. */
    static boolean archived(ImportRecord record) {
        return record.finalPath() != null && Files.exists(Path.of(record.finalPath()));
    }

    /** Not in sent/ yet, but still at its source in the inbox (an SFTP origin is no local path and never counts). */
    static boolean onItsWayToSent(ImportRecord record) {
        if (inSent(record) || archived(record) || record.sentPath() == null || record.sourcePath() == null) {
            return false; // a row without a sent/ name let go of its file (a new file took its name)
        }
        try {
            return Files.exists(Path.of(record.sourcePath()));
        } catch (InvalidPathException notLocal) {
            return false;
        }
    }

    private static String archiveName(ImportRecord record) {
        return record.sentPath() == null ? record.fileName() : Path.of(record.sentPath()).getFileName().toString();
    }

    private static String summary(JobStatus status) {
        StringBuilder s = new StringBuilder(status.state());
        for (JobStatus.EntityStatus e : status.entities()) {
            s.append("; ").append(e.entityName()).append(": ").append(e.targetRecords()).append(" imported, ")
                    .append(e.stagingErrors() + e.targetErrors()).append(" errors");
        }
        return s.toString();
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
