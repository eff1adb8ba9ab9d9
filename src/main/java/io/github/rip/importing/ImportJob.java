package io.github.rip.importing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

import io.github.rip.connector.D365Call;
import io.github.rip.connector.D365Environments;
import io.github.rip.connector.TransientD365Exception;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import io.github.rip.journal.JournalCompany;
import io.github.rip.packaging.PackageBuildException;
import io.github.rip.support.LogFields;
import io.github.rip.support.Sha256;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps an import job's route template calls: claim a file in the journal, record the enqueue, and move the file
 * to sent/. Created per job by the route template (a template-local bean) with its {@link ImportJobSettings}; the SFTP
 * and package sources specialise where the file comes from ({@code SftpImportJob}, {@link PackageImportJob}).
 */
public class ImportJob {

    private static final Logger LOG = LoggerFactory.getLogger(ImportJob.class);

    protected final ImportJobSettings settings = new ImportJobSettings();
    protected ImportJournal journal;

    /** Takes the consumed file into the journal and decides what happens to it; see docs/architecture.md. */
    public void claim(Exchange exchange) {
        Path source = exchange.getMessage().getBody(File.class).toPath().toAbsolutePath();
        String fileName = uploadName(source);
        ImportFile file = new ImportFile(this, source, fileName);
        exchange.setProperty(ImportFile.PROPERTY, file);
        D365Environments.use(exchange, settings.getEnvironment());
        LogFields.set(exchange, LogFields.JOB, getName());
        if (!takeable(source)) {
            // a link or special file that appeared after the inbox guard looked: the guard refuses it before the next poll
            file.setAction(ImportFile.Action.DEFER);
            return;
        }

        long size = contentSize(source);
        Instant modified = contentModified(exchange, source);
        JournalCompany company = companyOf(exchange, file, size, modified);
        if (file.isDeferred()) {
            return;
        }
        Optional<ImportRecord> latest = journal.latest(getName(), company, fileName);
        if (latest.isPresent()) {
            ImportRecord last = latest.get();
            if (last.state() == State.CLAIMED && last.retryAt() != null && Instant.now().isBefore(last.retryAt())) {
                file.setAction(ImportFile.Action.DEFER);
                return;
            }
            if (last.state() == State.ENQUEUED && last.sentPath() != null && !Files.exists(Path.of(last.sentPath()))) {
                if (isSameFile(last, source, size, modified)) {
                    // Crash after D365 accepted the file and before it left the inbox: finish the move, never enqueue again.
                    file.setJournalId(last.id());
                    file.setAction(ImportFile.Action.RESUME);
                    return;
                }
                // Recurring jobs reuse names: a new file under the name of an accepted one is a new file, whatever the
                // row says. The row lets go of its sent/ name, or the new file, once there, would be archived with the
                // old message's result.
                journal.fileLost(last.id(), "Its file never reached sent/; a different file of the same name arrived "
                        + "later and was imported on its own.");
                LOG.warn("{}: {} has the name of message {} (journal row {}) whose file never reached sent/, but not its "
                        + "size, time and SHA-256; it is imported as a new file", getName(), fileName, last.messageId(),
                        last.id());
            }
        }
        boolean retry = latest.isPresent() && latest.get().state() == State.CLAIMED;
        boolean reject = settings.rejectsDuplicates();
        Instant window = Instant.now().minus(Duration.ofDays(settings.getDuplicateWindowDays()));
        boolean hashWhileUploading = !retry && size >= PendingHash.MIN_SIZE
                && !(reject && journal.acceptedByName(getName(), company, fileName, window));
        String sha256 = hashWhileUploading ? null : contentHash(source);
        if (retry) {
            ImportRecord open = latest.get();
            if (open.requestSent()) {
                LOG.warn("{}: an earlier enqueue of {} went out without a recorded answer; D365 may hold a duplicate",
                        getName(), fileName);
            }
            if (!journal.retryAttempt(open.id(), open.attempts(), size, modified, sha256)) {
                // another runner started an attempt since we read the row: the file is theirs now
                file.setAction(ImportFile.Action.DEFER);
                return;
            }
            file.setJournalId(open.id());
            file.setAction(ImportFile.Action.ENQUEUE);
            return;
        }
        Optional<ImportRecord> accepted = reject && sha256 != null
                ? journal.acceptedCopy(getName(), company, fileName, sha256, window) : Optional.empty();
        OptionalLong claimed = journal.claim(getName(), company, fileName, sourceDescription(exchange, source), size,
                modified, sha256, settings.getActivityId(), file.folder("processed").toString(),
                file.folder("failed").toString());
        if (claimed.isEmpty()) {
            // another runner claimed a file of this name a moment ago: it is theirs (the journal's claim key decided)
            file.setAction(ImportFile.Action.DEFER);
            return;
        }
        long id = claimed.getAsLong();
        file.setJournalId(id);
        if (hashWhileUploading) {
            PendingHash.start(file, () -> contentHash(source));
        }
        accepted.ifPresent(r -> {
            throw new ImportRejectedException("Duplicate: the same file (same name and SHA-256) was already accepted by "
                    + "D365 on " + r.enqueuedAt() + " as message " + r.messageId() + " (now " + r.state()
                    + ", journal row " + r.id() + ").\nThis job rejects re-imports within "
                    + settings.getDuplicateWindowDays()
                    + " days (duplicatePolicy=reject). To import it again on purpose, rename the file or set "
                    + "duplicatePolicy=allow.");
        });
        file.setAction(ImportFile.Action.ENQUEUE);
    }

    /**
     * The file's legal entity (companyFrom, allowedCompanies). A file whose company cannot be told or is not allowed is
     * claimed and rejected here: to failed/ with a report that says why, and never sent.
     */
    private JournalCompany companyOf(Exchange exchange, ImportFile file, long size, Instant modified) {
        CompanyRouting routing = settings.getCompanyRouting();
        CompanyRouting.Decision decision = routing.decide(folder("inbox"), file.getSource(), file.getFileName(),
                settings.getCompany());
        file.setCompany(decision);
        JournalCompany company = JournalCompany.of(decision.company(), routing.isPerFile());
        if (!decision.refused()) {
            return company;
        }
        Path source = file.getSource();
        OptionalLong claimed = journal.claim(getName(), company, file.getFileName(), sourceDescription(exchange, source),
                size, modified, contentHash(source), settings.getActivityId(), file.folder("processed").toString(),
                file.folder("failed").toString());
        if (claimed.isEmpty()) {
            file.setAction(ImportFile.Action.DEFER); // another runner is refusing it at this moment
            return company;
        }
        file.setJournalId(claimed.getAsLong());
        throw new ImportRejectedException(decision.refusal());
    }

    /**
     * Whether the file in the inbox is the one a journal row recorded: same size, same modification time (when the row
     * has one) and same SHA-256. The name alone proves nothing: recurring jobs get a new customers.csv every day.
     */
    private boolean isSameFile(ImportRecord row, Path source, long size, Instant modified) {
        if (row.size() != size || row.sha256() == null) {
            return false;
        }
        if (row.sourceModified() != null && modified != null
                && !row.sourceModified().equals(modified.truncatedTo(ChronoUnit.MILLIS))) {
            return false;
        }
        return row.sha256().equals(contentHash(source));
    }

    /**
     * Whether the consumer's file may be read: never a symbolic link out of the inbox, never a pipe or device. The inbox
     * guard refuses those before each poll; this covers one created since (package jobs take batch folders too).
     */
    private boolean takeable(Path source) {
        if (Files.isSymbolicLink(source) && !(settings.isAllowLinks() && guard().insideInbox(source))) {
            return false;
        }
        return Files.isRegularFile(source) || Files.isDirectory(source);
    }

    private InboxGuard guard() {
        InboxGuard guard = new InboxGuard();
        guard.setJob(this);
        return guard;
    }

    /**
     * The enqueue call for the D365 call route: the upload streamed from disk, the URL query with entity and company,
     * the external identifier (the file name, percent-encoded outside printable ASCII; journaled when it differs), and
     * the journal marks around the request: from the moment it leaves, a crash or a lost answer may leave a copy in
     * D365 (the API has no idempotency key), so the next attempt counts a possible duplicate.
     */
    public void prepareEnqueue(Exchange exchange) {
        ImportFile file = ImportFile.of(exchange);
        long id = file.getJournalId();
        String fileName = file.getFileName();
        String externalId = ExternalIdentifier.of(fileName);
        if (!externalId.equals(fileName)) {
            journal.externalId(id, externalId);
        }
        String query = D365Call.enqueueQuery(settings.getEntity(), file.getCompany());
        D365Environments.use(exchange, settings.getEnvironment());
        exchange.setProperty(D365Call.PROPERTY, D365Call.enqueue(settings.getActivityId(), query,
                file.getUpload().toFile(), externalId,
                () -> journal.requestSent(id), () -> journal.refused(id)));
    }

    /** Refuses a DOCTYPE in XML bound for the XSLT (XXE guard). */
    public void checkXmlInput(Exchange exchange) {
        XmlInputGuard.requireNoDoctype(ImportFile.of(exchange).getSource());
    }

    /** Where the XSLT writes its result: the job's work/ folder, named after the journal row. */
    public String transformTarget(Exchange exchange) throws IOException {
        Path work = folder("work");
        Files.createDirectories(work);
        ImportFile file = ImportFile.of(exchange);
        Path target = work.resolve(file.getJournalId() + "-" + file.getFileName());
        file.setTransformTarget(target);
        return target.toString();
    }

    /** The XSLT result replaces the source as what is sent to D365; the source is still what gets archived. */
    public void transformed(Exchange exchange) {
        String target = exchange.getMessage().getHeader("CamelXsltFileName", String.class);
        ImportFile file = ImportFile.of(exchange);
        file.setUpload(Path.of(target));
        file.prepared();
    }

    /** Makes the upload ready before the enqueue; nothing to do for a plain file (package jobs build or check theirs). */
    public void prepare(Exchange exchange) throws IOException, PackageBuildException {
        ImportFile.of(exchange).prepared();
    }

    /** D365 accepted the file (body = message id): journal first, then the move to sent/. */
    public void enqueued(Exchange exchange) {
        ImportFile file = ImportFile.of(exchange);
        long id = file.getJournalId();
        String answer = exchange.getMessage().getBody(String.class);
        String messageId = messageIdOf(exchange, answer);
        if (messageId == null) {
            throw new ImportRejectedException("D365 accepted the file but its answer holds no message id", 200, answer);
        }
        LogFields.set(exchange, LogFields.MESSAGE_ID, messageId);
        Path sent = ArchiveFolder.freeName(file.folder("sent"), file.getFileName(), id);
        PendingHash.record(file, journal);
        if (!journal.enqueued(id, messageId, sent.toString())) {
            // only if two runners worked on this file at once (one stalled past rip.cluster.takeover-after and the
            // other took over): the other recorded its message first and moves the file; D365 holds this copy too
            LOG.error("{}: D365 accepted {} as message {}, but journal row {} was already recorded by another runner "
                    + "that took the file over while this runner was stalled; D365 holds an extra copy under message {}",
                    getName(), file.getFileName(), messageId, id, messageId);
            file.deleteWork();
            return;
        }
        moveToSent(exchange, sent, id);
        LOG.info("{}: {} enqueued as message {}", getName(), file.inboxName(), messageId);
    }

    /** What D365's accepting answer names the message by: the enqueue's message id (null if it holds none). */
    protected String messageIdOf(Exchange exchange, String answer) {
        return D365Responses.parseMessageId(answer);
    }

    /** Whether the pipeline hands the upload to the package API's route instead of one enqueue call. */
    public boolean isPackageApi() {
        return false;
    }

    /** Finishes the move to sent/ of a file whose enqueue was already recorded. */
    public void resume(Exchange exchange) {
        long id = ImportFile.of(exchange).getJournalId();
        ImportRecord record = journal.find(id).orElseThrow();
        moveToSent(exchange, Path.of(record.sentPath()), id);
        LOG.info("{}: {} was already enqueued as message {}; moved to sent/ without enqueuing again", getName(),
                record.fileName(), record.messageId());
    }

    /** Moves the consumed file (and drops temporary uploads) once D365 holds it. */
    protected void moveToSent(Exchange exchange, Path sent, long id) {
        ImportFile file = ImportFile.of(exchange);
        ArchiveFolder.move(file.getSource(), sent, id);
        file.deleteWork();
    }

    /** A permanent failure: the file goes to failed/ next to a report. Called by the error handler. */
    public void reject(Exchange exchange, ImportRejectedException error) {
        ImportFile file = ImportFile.of(exchange);
        Path source = file.getSource();
        long id = file.getJournalId();
        PendingHash.recordQuietly(file, journal);
        Path target = ArchiveFolder.move(source, ArchiveFolder.freeName(file.folder("failed"),
                source.getFileName().toString(), id), id);
        ImportFile.of(exchange).deleteWork();
        journal.failed(id, error.httpStatus(), error.getMessage(), target.toString());
        ImportRecord record = journal.find(id).orElseThrow();
        Path report = ArchiveFolder.writeReport(target, ImportReport.rejected(record, getName(), error.getMessage(),
                error.httpStatus(), error.responseBody()), id);
        LOG.error("{}: {} rejected ({}); moved to {} with report {}", getName(), file.inboxName(),
                error.getMessage().lines().findFirst().orElse(""), target, report.getFileName());
    }

    /** A transient failure after the in-place retries: the file stays in the inbox until its next attempt is due. */
    public void retryLater(Exchange exchange, Throwable error, Duration firstBackoff, Duration maxBackoff) {
        ImportFile file = ImportFile.of(exchange);
        Long id = file.getJournalId();
        Integer status = error instanceof TransientD365Exception t ? t.httpStatus() : null;
        Duration retryAfter = error instanceof TransientD365Exception t ? t.retryAfter() : null;
        if (id == null) {
            LOG.warn("{}: {} will be tried again at the next poll: {}", getName(), file.getFileName(),
                    error.toString());
            return;
        }
        int attempts = journal.find(id).map(ImportRecord::attempts).orElse(1);
        Duration backoff = ImportErrors.backoff(attempts, firstBackoff, maxBackoff);
        if (retryAfter != null && retryAfter.compareTo(backoff) > 0) {
            backoff = retryAfter;
        }
        Instant next = Instant.now().plus(backoff);
        journal.retryLater(id, status, error.getMessage(), next);
        ImportFile.of(exchange).deleteWork();
        LOG.warn("{}: {} stays in the inbox, next attempt at {} (attempt {} failed: {})", getName(),
                file.getFileName(), next, attempts, error.getMessage());
    }

    /** Where the journal says the file came from (source_path); a remote inbox names the remote file and its version. */
    protected String sourceDescription(Exchange exchange, Path source) {
        return source.toString();
    }

    /** The name D365 sees (x-ms-dyn-externalidentifier) and the archive uses; packages override it. */
    protected String uploadName(Path source) {
        return source.getFileName().toString();
    }

    protected String contentHash(Path source) {
        return Sha256.of(source);
    }

    /** The source's modification time, to the millisecond (what the journal keeps to recognise the same file). */
    protected Instant contentModified(Exchange exchange, Path source) {
        try {
            return Files.getLastModifiedTime(source).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected long contentSize(Path source) {
        try {
            return Files.size(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One of the job's folders: sent, processed, failed, work. */
    public Path folder(String which) {
        return settings.folder(which);
    }

    /** The job's settings: the route template sets them through this ({@code settings.name}, ...). */
    public ImportJobSettings getSettings() {
        return settings;
    }

    public String getName() {
        return settings.getName();
    }

    public void setJournal(ImportJournal journal) {
        this.journal = journal;
    }
}
