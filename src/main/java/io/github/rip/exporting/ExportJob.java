package io.github.rip.exporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import io.github.rip.connector.D365Client;
import io.github.rip.connector.D365Environment;
import io.github.rip.connector.D365Environments;
import io.github.rip.exporting.InFlightMessage.StagedFile;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ExportRecord;
import io.github.rip.packaging.PackageLimits;
import io.github.rip.support.LogFields;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export job's steps, called by the d365-export route template (a template-local bean): per message, decide from
 * the journal what to do, record the download, stage the files (zip kept or unzipped, optional XSLT), hand each file
 * to the target and record delivery and ack. What the job was told is its {@link ExportJobSettings}.
 */
public class ExportJob {

    /** Exchange properties the template's steps share. */
    public static final String JOB = "ripJob";
    public static final String MORE = "ripMore";
    /** The {@link Action}'s name as a String: the template compares it in simple, where an enum costs a conversion. */
    public static final String ACTION = "ripAction";
    public static final String STYLESHEET = "ripStylesheet";
    public static final String TARGET_URI = "ripTargetUri";
    private static final String POLL_COUNT = "ripPollCount";

    /** What the route does with the message just dequeued. */
    public enum Action { NONE, SKIP, ACK, EXPORT }

    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);

    private final PackageUnpacker unpacker = new PackageUnpacker(PackageLimits.DEFAULTS);
    private final ExportJobSettings settings = new ExportJobSettings();
    private ExportJournal journal;

    /** Fails the job's start with a clear message instead of failing every message later (template initMethod). */
    public void validate() {
        settings.validate();
    }

    /** The job's settings: the route template sets them through this ({@code settings.name}, ...). */
    public ExportJobSettings getSettings() {
        return settings;
    }

    public void setJournal(ExportJournal journal) {
        this.journal = journal;
    }

    public String getName() {
        return settings.getName();
    }

    public String getActivityId() {
        return settings.getActivityId();
    }

    /** The D365 environment the job talks to ("" = the default). */
    public String getEnvironment() {
        return settings.getEnvironment();
    }

    /** One of the job's folders: work, failed. */
    public Path folder(String which) {
        return settings.folder(which);
    }

    /** The target URI files are sent to (with a temporary name for folder targets). */
    public String deliveryUri() {
        return settings.deliveryUri();
    }

    ExportJournal journal() {
        return journal;
    }

    /** A Quartz fire: nothing of an earlier, interrupted poll is reused (its work files are dropped). */
    public void startPoll(Exchange exchange) {
        exchange.setProperty(JOB, this);
        D365Environments.use(exchange, settings.getEnvironment());
        LogFields.set(exchange, LogFields.JOB, getName());
        exchange.setProperty(MORE, true);
        exchange.setProperty(POLL_COUNT, 0);
        exchange.setProperty(TARGET_URI, settings.deliveryUri());
        Workspace.clear(settings.folder("work"));
    }

    /** The dequeue answer (JSON, or null for an empty queue) decides the message's {@link Action}. */
    public void dequeued(Exchange exchange) throws IOException {
        exchange.removeProperty(ExportResponses.MESSAGE);
        String json = exchange.getMessage().getBody(String.class);
        int count = exchange.getProperty(POLL_COUNT, 0, Integer.class) + 1;
        exchange.setProperty(POLL_COUNT, count);
        if (json == null || json.isBlank()) { // 204 (or an empty 200): the queue is empty
            exchange.setProperty(MORE, false);
            exchange.setProperty(ACTION, Action.NONE.name());
            return;
        }
        // one message at a time, a bounded number per poll; a stopping runner finishes the current message only
        exchange.setProperty(MORE, count < settings.maxMessagesPerPoll() && !exchange.getContext().isStopping());
        DequeueResponse dequeue = DequeueResponse.parse(json);
        LogFields.set(exchange, LogFields.MESSAGE_ID, dequeue.correlationId());
        Optional<ExportRecord> known = journal.byCorrelationId(getName(), dequeue.correlationId());
        InFlightMessage message;
        if (known.isPresent()) {
            ExportRecord row = known.get();
            boolean settled = row.isSettled()
                    && !(settings.deliverDuplicates() && row.state() != ExportJournal.State.FAILED);
            if (!journal.redequeued(row.id(), row.attempts(), row.state(), dequeue.popReceipt(),
                    dequeue.downloadLocation(), !settled)) {
                handledElsewhere(exchange, dequeue);
                return;
            }
            message = track(exchange, dequeue, row.id(), row.createdAt());
            if (settled) {
                LOG.info("{}: message {} is offered again but was already {}{}; acknowledging it without delivering "
                        + "again", getName(), dequeue.correlationId(), row.state() == ExportJournal.State.FAILED
                        ? "quarantined in failed/" : "delivered", row.duplicateOf() == null ? ""
                        : " (as a duplicate of " + row.duplicateOf() + ")");
                exchange.setProperty(ACTION, Action.ACK.name());
                return;
            }
            LOG.info("{}: D365 offers message {} again (attempt {}, last dequeued {})", getName(),
                    dequeue.correlationId(), row.attempts() + 1, dequeue.lastDequeueDateTime());
        } else {
            OptionalLong opened = journal.open(getName(), getActivityId(), dequeue.correlationId(),
                    dequeue.popReceipt(), dequeue.downloadLocation());
            if (opened.isEmpty()) {
                handledElsewhere(exchange, dequeue);
                return;
            }
            long id = opened.getAsLong();
            message = track(exchange, dequeue, id, journal.find(id).orElseThrow().createdAt());
        }
        if (!dequeue.hasFile()) {
            noFile(exchange, message);
            return;
        }
        // a DownloadLocation on another host than the one the dequeue went to (the job's environment) ends here
        // (ExportRejectedException): the token never goes there
        String baseUrl = exchange.getProperty(D365Client.BASE_URL, settings.d365BaseUrl(), String.class);
        message.location(DownloadLocation.resolve(dequeue.downloadLocation(), baseUrl,
                D365Environment.setting(settings.getEnvironment(), "base-url")));
        if (message.location().rewritten()) {
            LOG.debug("{}: DownloadLocation {} rewritten to the D365 base URL", getName(), dequeue.downloadLocation());
        }
        Files.createDirectories(message.workDir());
        exchange.setProperty(ACTION, Action.EXPORT.name());
    }

    /** The package is on disk: journal it; the same content already delivered (new CorrelationId) is only acked. */
    public void downloaded(Exchange exchange) {
        InFlightMessage message = message(exchange);
        journal.downloaded(message.journalId(), message.sha256(), message.size(), message.packageName());
        if (!settings.deliverDuplicates() && !settings.duplicateContentWindow().isZero()) {
            Optional<ExportRecord> same = journal.deliveredContent(getName(), message.sha256(),
                    Instant.now().minus(settings.duplicateContentWindow()), message.journalId());
            if (same.isPresent()) {
                journal.duplicate(message.journalId(), same.get().correlationId());
                LOG.warn("{}: message {} holds the same package (SHA-256 {}) as message {}, delivered {}; D365 "
                        + "probably redelivered it under a new CorrelationId. Acknowledging without delivering again",
                        getName(), message.getCorrelationId(), message.sha256(), same.get().correlationId(),
                        same.get().deliveredAt());
                exchange.setProperty(ACTION, Action.ACK.name());
            }
        }
    }

    /** Lists what to deliver: the package itself, or its entity files unpacked into the message's work folder. */
    public void stage(Exchange exchange) throws IOException {
        InFlightMessage message = message(exchange);
        DeliveryNames names = names(message);
        Path pkg = message.getPackagePath();
        String pkgName = message.packageName() != null ? message.packageName() : getName() + ".zip";
        if (!settings.unzip()) {
            message.files().add(new StagedFile(pkg, names.nameFor(pkgName), pkgName));
            return;
        }
        if (!PackageUnpacker.isZip(pkg)) {
            // docs/d365-api.md §1.2: whether a file-mode export yields a bare file is unconfirmed; deliver it unchanged
            String fileName = message.packageName() != null ? message.packageName() : getName() + ".dat";
            LOG.warn("{}: message {} is not a zip package; delivered as it is", getName(), message.getCorrelationId());
            message.files().add(new StagedFile(pkg, names.nameFor(fileName), fileName));
            return;
        }
        for (PackageUnpacker.Unpacked entry : unpacker.unpack(pkg, message.workDir().resolve("files"),
                settings.keepPackageFiles())) {
            message.files().add(new StagedFile(entry.file(), names.nameFor(entry.file().getFileName().toString()),
                    entry.entryName()));
        }
        if (message.files().isEmpty()) {
            LOG.warn("{}: package of message {} holds no entity files; nothing to deliver", getName(),
                    message.getCorrelationId());
        }
    }

    /** Loop step: the stylesheet for file number CamelLoopIndex ("" for none), its output in the work folder. */
    public void transformStep(Exchange exchange) throws IOException {
        InFlightMessage message = message(exchange);
        int index = exchange.getProperty(Exchange.LOOP_INDEX, Integer.class);
        StagedFile file = message.files().get(index);
        Optional<String> stylesheet = settings.transforms().stylesheetFor(file.entryName());
        exchange.setProperty(STYLESHEET, stylesheet.orElse(""));
        if (stylesheet.isPresent()) {
            Path out = Files.createDirectories(message.workDir().resolve("xslt")).resolve(index + "-"
                    + file.deliveredName());
            exchange.getMessage().setHeader("CamelXsltFileName", out.toString());
            exchange.getMessage().setBody(file.path().toFile());
        }
    }

    /** The XSLT result replaces the file; it keeps its delivered name. */
    public void transformed(Exchange exchange) {
        InFlightMessage message = message(exchange);
        int index = exchange.getProperty(Exchange.LOOP_INDEX, Integer.class);
        StagedFile file = message.files().get(index);
        Path result = Path.of(exchange.getMessage().getHeader("CamelXsltFileName", String.class));
        message.files().set(index, new StagedFile(result, file.deliveredName(), file.entryName()));
    }

    /** Loop step: file number CamelLoopIndex as the body, named for the target; nothing else leaks to the target. */
    public void deliveryStep(Exchange exchange) {
        InFlightMessage message = message(exchange);
        StagedFile file = message.files().get(exchange.getProperty(Exchange.LOOP_INDEX, Integer.class));
        Message out = exchange.getMessage();
        // drop the D365 call's headers (CamelHttpPath would redirect an http target); keep Camel's redelivery counters
        out.removeHeaders("*", "CamelRedeliver*");
        out.setHeader(Exchange.FILE_NAME, file.deliveredName());
        out.setHeader("RipExportJob", getName());
        out.setHeader("RipCorrelationId", message.getCorrelationId());
        out.setHeader("RipPackageEntry", file.entryName());
        out.setBody(file.path().toFile());
    }

    /** Loop step: the file reached the target. */
    public void deliveredFile(Exchange exchange) {
        InFlightMessage message = message(exchange);
        message.delivered().add(message.files().get(exchange.getProperty(Exchange.LOOP_INDEX, Integer.class))
                .deliveredName());
    }

    /** Every file reached the target: journal DELIVERED before the ack, so a lost ack never delivers twice. */
    public void delivered(Exchange exchange) {
        InFlightMessage message = message(exchange);
        journal.delivered(message.journalId(), message.delivered());
        LOG.info("{}: message {} delivered as {} file(s): {}", getName(), message.getCorrelationId(),
                message.delivered().size(), String.join(", ", message.delivered()));
        exchange.setProperty(ACTION, Action.ACK.name());
    }

    /** D365 accepted the ack: the message is done. */
    public void acked(Exchange exchange) {
        InFlightMessage message = message(exchange);
        journal.acked(message.journalId());
        Workspace.delete(message.workDir());
        LOG.info("{}: message {} acknowledged", getName(), message.getCorrelationId());
    }

    /** D365 says there is no file: journaled and reported; acked only when the job says so. */
    private void noFile(Exchange exchange, InFlightMessage message) {
        DequeueResponse d = message.dequeue();
        String reason = "D365 handed over export message " + d.correlationId() + " without a file to download "
                + "(IsDownLoadFileExist=" + d.fileExists() + ", DownloadLocation=" + d.downloadLocation()
                + ", FileDownLoadErrorMessage=" + d.fileErrorMessage() + ").\nThis happens when D365's export "
                + "failed or its file expired. " + (settings.ackWithoutFile()
                ? "This job acknowledges such messages (ackWithoutFile=true), so D365 will not offer it again."
                : "The message is not acknowledged: D365 offers it again after its visibility timeout, and it is "
                + "then downloaded if the file exists by then. Set ackWithoutFile=true to drop such messages.");
        ExportErrors.recordFailure(this, message, reason, null, settings.ackWithoutFile());
        exchange.setProperty(ACTION, (settings.ackWithoutFile() ? Action.ACK : Action.SKIP).name());
    }

    /**
     * Another runner recorded this very hand-over of the message a moment before this one (two runners polled the job
     * at once, e.g. one thought dead by the others): it is theirs to deliver and ack; this runner leaves it alone.
     */
    private void handledElsewhere(Exchange exchange, DequeueResponse dequeue) {
        LOG.info("{}: message {} is being handled by another runner; left to it", getName(), dequeue.correlationId());
        exchange.setProperty(ACTION, Action.SKIP.name());
    }

    private InFlightMessage track(Exchange exchange, DequeueResponse dequeue, long id, Instant firstDequeue) {
        Path work = settings.folder("work").resolve(String.valueOf(id));
        InFlightMessage message = new InFlightMessage(dequeue, id, firstDequeue, work);
        exchange.setProperty(ExportResponses.MESSAGE, message);
        return message;
    }

    /** The file names of one message's deliveries (pattern per job, defaults per mode). */
    DeliveryNames names(InFlightMessage message) {
        String pattern = settings.fileNamePattern();
        if (pattern.isBlank()) {
            pattern = settings.unzip() ? DeliveryNames.FILE_PATTERN : DeliveryNames.ZIP_PATTERN;
        }
        return new DeliveryNames(pattern, getName(), getActivityId(), message.getCorrelationId(),
                message.firstDequeue(),
                message.packageName());
    }

    static InFlightMessage message(Exchange exchange) {
        return exchange.getProperty(ExportResponses.MESSAGE, InFlightMessage.class);
    }
}
