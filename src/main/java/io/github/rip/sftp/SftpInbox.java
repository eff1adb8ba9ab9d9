package io.github.rip.sftp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import io.github.rip.importing.ArchiveFolder;
import io.github.rip.importing.ImportFile;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportRecord;
import io.github.rip.sftp.SftpImportJob.RemoteDisposition;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.remote.RemoteFileOperations;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.component.file.strategy.GenericFileProcessStrategySupport;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SFTP import job's remote inbox, plugged into Camel's sftp consumer (processStrategy, pollStrategy,
 * exceptionHandler): which remote files are ready to be taken, what happens to a file on the server once the job is
 * done with it, and what the job says when the server misbehaves.
 *
 * <p>Ready = not a temporary upload name (template's exclude), size and mtime unchanged for {@code readLockMinAge}
 * ({@link UploadStability}), its done file present when {@code doneFileSuffix} is set, and not waiting for a retry in
 * the journal (so a file waiting out a D365 outage is not downloaded at every poll).
 *
 * <p>Afterwards, by the exchange property {@link SftpImportJob#REMOTE_DISPOSITION} the job set: SENT (D365 accepted it)
 * and FAILED (rejected, the local failed/ copy and report written) move it to the remote sent/ or failed/ folder, or
 * delete it; KEEP (transient failure, deferred, or anything unexpected) leaves it where it is for a later poll.
 */
public class SftpInbox extends GenericFileProcessStrategySupport<SftpRemoteFile>
        implements PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SftpInbox.class);

    private final SftpInboxSettings settings = new SftpInboxSettings();
    private ImportJournal journal;
    /** Cluster-wide: of several runners listing this inbox, exactly one takes a file (the file jobs' read lock). */
    private IdempotentRepository locks;
    private String jobName;
    private String doneFileSuffix;
    private UploadStability stability;
    private ConnectionReporter reporter;
    private volatile GenericFileOperations<SftpRemoteFile> operations;

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        settings.check(getCamelContext());
        jobName = settings.jobName();
        doneFileSuffix = settings.doneFileSuffix();
        stability = new UploadStability(settings.readLockMinAge().toMillis());
        reporter = new ConnectionReporter(settings.server(), settings.problemReminder(), 15_000);
    }

    /** The inbox's settings: the route template sets them through this ({@code settings.host}, ...). */
    public SftpInboxSettings getSettings() {
        return settings;
    }

    public void setJournal(ImportJournal journal) {
        this.journal = journal;
    }

    public void setLocks(IdempotentRepository locks) {
        this.locks = locks;
    }

    // --- GenericFileProcessStrategy: which files, and what happens to them on the server afterwards ---

    @Override
    public void prepareOnStartup(GenericFileOperations<SftpRemoteFile> operations,
                                 GenericFileEndpoint<SftpRemoteFile> endpoint) throws Exception {
        this.operations = operations;
        settings.applySecrets(((SftpEndpoint) endpoint).getConfiguration());
        super.prepareOnStartup(operations, endpoint);
    }

    @Override
    public boolean begin(GenericFileOperations<SftpRemoteFile> operations, GenericFileEndpoint<SftpRemoteFile> endpoint,
                         Exchange exchange, GenericFile<SftpRemoteFile> file) throws Exception {
        String name = file.getFileNameOnly();
        boolean hasDoneFile = !doneFileSuffix.isEmpty();
        if (hasDoneFile && name.endsWith(doneFileSuffix)) {
            return false; // a done file is a signal, not data
        }
        if (!stability.isComplete(file.getAbsoluteFilePath(), file.getFileLength(), file.getLastModified(),
                System.currentTimeMillis())) {
            LOG.trace("{}: {} may still be uploading ({} bytes)", jobName, name, file.getFileLength());
            return false;
        }
        Optional<ImportRecord> latest = journal.latest(jobName, name);
        if (latest.isPresent() && isWaitingForRetry(latest.get())) {
            return false; // no need to download it again before then
        }
        if (latest.isPresent() && isAlreadyHandled(latest.get(), file)) {
            // the runner stopped (or the server refused) after the job was done with it: only move it on the server
            ImportRecord row = latest.get();
            LOG.info("{}: {} is still in the SFTP inbox but was already {} (journal row {}{}); moving it on the server "
                    + "only", jobName, name, row.state(), row.id(), row.messageId() == null ? "" : ", message "
                    + row.messageId());
            settle(operations, file, row.state() == ImportJournal.State.FAILED && row.messageId() == null
                    ? RemoteDisposition.FAILED : RemoteDisposition.SENT, row.id());
            return false;
        }
        if (hasDoneFile && !operations.existsFile(file.getAbsoluteFilePath() + doneFileSuffix)) {
            LOG.trace("{}: {} has no {} file yet", jobName, name, doneFileSuffix);
            return false;
        }
        if (!locks.add(lockKey(file))) {
            LOG.debug("{}: {} is being taken by another runner", jobName, name);
            return false;
        }
        if (!super.begin(operations, endpoint, exchange, file)) {
            locks.remove(lockKey(file));
            return false;
        }
        return true;
    }

    @Override
    public void rollback(GenericFileOperations<SftpRemoteFile> operations, GenericFileEndpoint<SftpRemoteFile> endpoint,
                         Exchange exchange, GenericFile<SftpRemoteFile> file) throws Exception {
        try {
            super.rollback(operations, endpoint, exchange, file);
        } finally {
            locks.remove(lockKey(file));
        }
    }

    @Override
    public void abort(GenericFileOperations<SftpRemoteFile> operations, GenericFileEndpoint<SftpRemoteFile> endpoint,
                      Exchange exchange, GenericFile<SftpRemoteFile> file) throws Exception {
        try {
            super.abort(operations, endpoint, exchange, file);
        } finally {
            locks.remove(lockKey(file));
        }
    }

    /** The remote file as every runner names it: server and path. */
    private String lockKey(GenericFile<SftpRemoteFile> file) {
        return "sftp://" + settings.host() + ":" + settings.port() + file.getAbsoluteFilePath();
    }

    @Override
    public void commit(GenericFileOperations<SftpRemoteFile> operations, GenericFileEndpoint<SftpRemoteFile> endpoint,
                       Exchange exchange, GenericFile<SftpRemoteFile> file) throws Exception {
        try {
            RemoteDisposition disposition = exchange.getProperty(SftpImportJob.REMOTE_DISPOSITION,
                    RemoteDisposition.KEEP, RemoteDisposition.class);
            if (disposition != RemoteDisposition.KEEP) {
                ImportFile claimed = ImportFile.of(exchange);
                settle(operations, file, disposition, claimed == null || claimed.getJournalId() == null ? 0L
                        : claimed.getJournalId());
            }
        } finally {
            try {
                super.commit(operations, endpoint, exchange, file); // drops the local download if it is still there
            } finally {
                locks.remove(lockKey(file));
            }
        }
    }

    // rollback (the exchange failed unhandled) and abort (not begun) keep the remote file: the defaults do (and the
    // lock is released above).

    /** Moves the file out of the remote inbox (to sent/ or failed/ beside it) or deletes it, as configured. */
    private void settle(GenericFileOperations<SftpRemoteFile> operations, GenericFile<SftpRemoteFile> file,
                        RemoteDisposition disposition, long journalId) {
        String from = file.getAbsoluteFilePath();
        String name = file.getFileNameOnly();
        if (settings.deletesAfterImport()) {
            operations.deleteFile(from);
            LOG.info("{}: {} deleted from the SFTP inbox ({})", jobName, name, disposition == RemoteDisposition.SENT
                    ? "D365 accepted it" : "rejected; see the local failed/ folder");
        } else {
            String folder = disposition == RemoteDisposition.SENT ? settings.remoteSentFolder()
                    : settings.remoteFailedFolder();
            String dir = folder.startsWith("/") ? folder
                    : (file.getParent() == null || file.getParent().isEmpty() ? "" : file.getParent() + "/") + folder;
            if (!operations.buildDirectory(dir, dir.startsWith("/"))) {
                throw new IllegalStateException("cannot create the folder " + dir + " on the server (permission denied, "
                        + "or a file of that name is in the way)");
            }
            String to = freeName(operations, dir, name, journalId);
            operations.renameFile(from, to);
            LOG.info("{}: {} moved to {} on the SFTP server", jobName, name, to);
        }
        if (!doneFileSuffix.isEmpty()) {
            try {
                operations.deleteFile(from + doneFileSuffix);
            } catch (RuntimeException e) {
                LOG.warn("{}: could not delete the done file {}{}: {}", jobName, name, doneFileSuffix, e.getMessage());
            }
        }
        stability.forget(from);
    }

    /** Never overwrites on the server either: a clash gets name.&lt;journal id&gt;.ext (like the local archive). */
    private static String freeName(GenericFileOperations<SftpRemoteFile> operations, String dir, String name, long id) {
        return dir + "/" + ArchiveFolder.freeName(name, id, candidate -> operations.existsFile(dir + "/" + candidate));
    }

    /** The journal holds a later attempt for this file. */
    private static boolean isWaitingForRetry(ImportRecord row) {
        return row.state() == ImportJournal.State.CLAIMED && row.retryAt() != null && Instant.now().isBefore(row.retryAt());
    }

    /**
     * The journal has this very file (same path, mtime and size) past CLAIMED, with its local copy archived: nothing
     * left to do but move it. If the crash came before the local copy was archived, it is downloaded instead and the
     * job's claim finishes the archive (RESUME).
     */
    private boolean isAlreadyHandled(ImportRecord row, GenericFile<SftpRemoteFile> file) {
        if (row.state() == ImportJournal.State.CLAIMED || row.size() != file.getFileLength()
                || !SftpImportJob.origin(settings.host(), settings.port(), file.getAbsoluteFilePath(),
                        file.getLastModified())
                        .equals(row.sourcePath())) {
            return false;
        }
        return !(row.state() == ImportJournal.State.ENQUEUED && row.sentPath() != null
                && !Files.exists(Path.of(row.sentPath())));
    }

    // --- PollingConsumerPollStrategy: a failed poll (connect, login, listing) is reported once, clearly ---

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        reporter.succeeded();
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        SftpProblem problem = reporter.failed(cause);
        if (problem.kind() != SftpProblem.Kind.UNREACHABLE && !problem.kind().isHostKey()) {
            forceDisconnect(); // a half-dead session would otherwise look connected at the next poll
        }
        return false; // no immediate retry: the consumer's backoff spaces the next attempts
    }

    // --- ExceptionHandler: failed downloads and failed remote moves ---

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (reporter.alreadyReported(exception)) {
            return;
        }
        String file = exchange == null ? null : exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        SftpProblem problem;
        if (file == null) {
            problem = reporter.failed(exception);
        } else {
            problem = SftpProblem.of(exception, settings.server(), null);
            reporter.fileFailed(file, problem, message);
        }
        if (problem.kind() == SftpProblem.Kind.CONNECTION_LOST || problem.kind() == SftpProblem.Kind.OTHER) {
            forceDisconnect();
        }
    }

    private void forceDisconnect() {
        if (operations instanceof RemoteFileOperations<?> remote) {
            try {
                remote.forceDisconnect();
            } catch (RuntimeException e) {
                LOG.debug("{}: disconnect after a failure failed too: {}", jobName, e.getMessage());
            }
        }
    }
}
