package io.github.rip.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportRecord;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actions on one import message: "retry" puts a FAILED file back into its job's inbox, where the job takes it as a new
 * attempt with a journal row of its own (the duplicate policy applies as to any file: a copy D365 already accepted is
 * refused again, and says so); "check status now" has the status monitor ask D365 about an ENQUEUED message first in
 * its next round.
 */
final class MessageActions {

    private static final Logger LOG = LoggerFactory.getLogger(MessageActions.class);
    /** SFTP retries are uploaded under this prefix and renamed: the job never sees half a file (dot files are skipped). */
    private static final String UPLOAD_PREFIX = ".rip-retry-";

    private final CamelContext context;
    private final JobCatalog catalog;
    private final ImportJournal journal;

    MessageActions(CamelContext context, JobCatalog catalog, ImportJournal journal) {
        this.context = context;
        this.catalog = catalog;
        this.journal = journal;
    }

    ActionResult retry(JobCatalog.Job job, ImportRecord row) {
        if (row.state() != ImportJournal.State.FAILED) {
            return ActionResult.refused("Only a FAILED file can be retried; " + row.fileName() + " is " + row.state());
        }
        Path kept = row.finalPath() == null ? null : Path.of(row.finalPath());
        if (kept == null || kept.getFileName().toString().endsWith(".report.txt") || !Files.exists(kept)) {
            return ActionResult.refused("The file is no longer in failed/" + (kept == null ? "" : " (expected at "
                    + kept + ")") + "; drop it into the inbox again instead");
        }
        if (!kept.toAbsolutePath().normalize().startsWith(Path.of(row.failedDir()).toAbsolutePath().normalize())) {
            return ActionResult.refused("The journal names a file outside the job's failed/ folder: " + kept);
        }
        try {
            String where = "sftp".equals(job.source()) ? upload(job, row, kept) : moveToInbox(job, row, kept);
            LOG.info("{}: {} (journal row {}) put back into {} for a new attempt", job.name(), row.fileName(), row.id(),
                    where);
            return ActionResult.accepted(row.fileName() + " is back in " + where + "; the job takes it as a new attempt "
                    + "(a copy D365 already accepted is still refused as a duplicate)");
        } catch (RetryRefusedException e) {
            return ActionResult.refused(e.getMessage());
        }
    }

    ActionResult checkStatus(ImportRecord row) {
        if (row.state() != ImportJournal.State.ENQUEUED || !journal.checkStatusSoon(row.id())) {
            return ActionResult.refused("Only an ENQUEUED message waits for D365; " + row.fileName() + " is "
                    + row.state());
        }
        return ActionResult.accepted("D365 is asked about message " + row.messageId() + " in the status monitor's "
                + "next round (rip.status.poll-interval)");
    }

    /** Folder and package jobs: back where it was taken from (a batch folder as a whole). */
    private static String moveToInbox(JobCatalog.Job job, ImportRecord row, Path kept) {
        Path inbox = Path.of(job.jobFolder(), "inbox").toAbsolutePath().normalize();
        Path source = Path.of(row.sourcePath()).toAbsolutePath().normalize();
        // a file of a company folder (companyFrom: subfolder, inbox/USMF/a.csv) goes back into that folder
        Path folder = source.getParent() != null && inbox.equals(source.getParent().getParent())
                && row.company() != null ? source.getParent() : inbox;
        Path target = folder.resolve(source.getFileName().toString()).normalize();
        if (!folder.equals(target.getParent())) {
            throw new RetryRefusedException("The journal's source " + row.sourcePath() + " is not in the inbox " + inbox);
        }
        if (Files.exists(target)) {
            throw new RetryRefusedException("The inbox already holds " + inbox.relativize(target) + "; move it away "
                    + "first");
        }
        try {
            Files.createDirectories(folder);
            Files.move(kept, target); // no REPLACE_EXISTING: a file arriving meanwhile is never overwritten
        } catch (IOException e) {
            throw new RetryRefusedException("Cannot move " + kept + " to " + target + ": " + e.getMessage());
        }
        return "the inbox";
    }

    /**
     * SFTP jobs: uploaded to the server's inbox through the job's own endpoint (its host key check and login), never
     * over a file of the same name; the local failed/ copy is then removed, as a folder job's file leaves failed/.
     */
    private String upload(JobCatalog.Job job, ImportRecord row, Path kept) {
        Route route = catalog.route(job);
        Endpoint endpoint = route == null ? null : route.getEndpoint();
        if (!(endpoint instanceof GenericFileEndpoint<?> remote)) {
            throw new RetryRefusedException("Job " + job.name() + " has no SFTP endpoint to upload to");
        }
        // producer options only; the job's consumer does not read them
        remote.setFileExist(GenericFileExist.Fail);
        remote.setTempPrefix(UPLOAD_PREFIX);
        try (ProducerTemplate producer = context.createProducerTemplate()) {
            Exchange sent = producer.send(remote, exchange -> {
                exchange.getMessage().setBody(kept.toFile());
                exchange.getMessage().setHeader(Exchange.FILE_NAME, row.fileName());
            });
            if (sent.getException() != null) {
                throw new RetryRefusedException("Uploading " + row.fileName() + " to " + job.location() + " failed: "
                        + sent.getException().getMessage());
            }
            Files.deleteIfExists(kept);
        } catch (IOException e) {
            LOG.warn("{}: {} was uploaded again, but its local copy {} could not be removed: {}", job.name(),
                    row.fileName(), kept, e.getMessage());
        }
        return job.location();
    }

    /** A retry that cannot be done as asked; the message says why. */
    private static final class RetryRefusedException extends RuntimeException {
        RetryRefusedException(String message) {
            super(message);
        }
    }
}
