package io.github.rip.exporting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.transform.TransformerException;

import io.github.rip.auth.AuthenticationFailedException;
import io.github.rip.connector.D365Environments;
import io.github.rip.importing.ArchiveFolder;
import io.github.rip.connector.D365RefusedException;
import io.github.rip.connector.TransientD365Exception;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ExportRecord;
import io.github.rip.sftp.SftpTarget;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export routes' error handler steps (routeConfiguration d365-export). A message that cannot be delivered as it
 * is goes to failed/ with a report and is acked once its package is kept there; anything else ends the poll, the
 * journal keeps the error and D365 offers the message again after its visibility timeout.
 */
public class ExportErrors {

    /** Set by {@link #rejected}: the package is quarantined, so the message may be acknowledged. */
    public static final String ACK_AFTER_QUARANTINE = "ripAckAfterQuarantine";

    private static final Logger LOG = LoggerFactory.getLogger(ExportErrors.class);

    private final D365Environments environments;

    public ExportErrors(D365Environments environments) {
        this.environments = environments;
    }

    /** Permanent for this message (foreign DownloadLocation, malicious or corrupt package, XSLT error). */
    public void rejected(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ExportJob job = exchange.getProperty(ExportJob.JOB, ExportJob.class);
        InFlightMessage message = ExportJob.message(exchange);
        exchange.setProperty(ACK_AFTER_QUARANTINE, false);
        if (job == null || message == null) {
            LOG.error("An export poll failed before a message was taken: {}", String.valueOf(caught));
            return;
        }
        String reason = reason(exchange, caught);
        Path kept = null;
        if (message.sha256() != null && Files.exists(message.getPackagePath())) {
            String pkgName = message.packageName() != null ? message.packageName() : job.getName() + ".zip";
            String keptName = new DeliveryNames(DeliveryNames.ZIP_PATTERN, job.getName(), job.getActivityId(),
                    message.getCorrelationId(), message.firstDequeue(), pkgName).nameFor(pkgName);
            kept = ArchiveFolder.move(message.getPackagePath(),
                    ArchiveFolder.freeName(job.folder("failed"), keptName, message.journalId()), message.journalId());
        }
        recordFailure(job, message, reason, kept, kept != null);
        Workspace.delete(message.workDir());
        exchange.setProperty(ACK_AFTER_QUARANTINE, kept != null);
    }

    /** The quarantined message was acknowledged: D365 will not offer it again. */
    public void quarantineAcked(Exchange exchange) {
        InFlightMessage message = ExportJob.message(exchange);
        ExportJob job = exchange.getProperty(ExportJob.JOB, ExportJob.class);
        job.journal().acked(message.journalId());
        LOG.info("{}: quarantined message {} acknowledged", job.getName(), message.getCorrelationId());
    }

    /** The ack after quarantine failed: harmless, the redelivery finds the message quarantined and only acks it. */
    public void quarantineAckFailed(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        InFlightMessage message = ExportJob.message(exchange);
        ExportJob job = exchange.getProperty(ExportJob.JOB, ExportJob.class);
        job.journal().problem(message.journalId(), status(caught), "Ack after quarantine failed: " + caught.getMessage());
        LOG.warn("{}: acknowledging quarantined message {} failed ({}); it is acknowledged when D365 offers it again",
                job.getName(), message.getCorrelationId(), caught.getMessage());
    }

    /** Transient (network, 5xx, 429, token, target down) or refused by D365: the poll ends, nothing is lost. */
    public void pollEnds(Exchange exchange) {
        endPoll(exchange, false);
    }

    /**
     * Entra ID or D365 refused the runner's identity: the poll ends as for any transient failure, but the problem is
     * said once for all polls and jobs ({@link AuthStatus}), not by every poll.
     */
    public void authenticationFailed(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        AuthenticationFailedException.in(caught).ifPresent(environments.of(exchange).auth()::failed);
        endPoll(exchange, true);
    }

    private void endPoll(Exchange exchange, boolean quiet) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ExportJob job = exchange.getProperty(ExportJob.JOB, ExportJob.class);
        InFlightMessage message = ExportJob.message(exchange);
        String text = job == null ? describe(caught) : describe(exchange, job, caught);
        if (job == null || message == null) {
            if (quiet) {
                LOG.debug("{}: export poll ended: {}", job == null ? "export" : job.getName(), text);
            } else {
                LOG.warn("{}: export poll ended: {}", job == null ? "export" : job.getName(), text);
            }
            return;
        }
        ExportRecord row = job.journal().find(message.journalId()).orElseThrow();
        boolean delivered = row.state() == ExportJournal.State.DELIVERED;
        if (!delivered && !message.delivered().isEmpty()) {
            text += " (" + message.delivered().size() + " of " + message.files().size() + " file(s) had reached the "
                    + "target; all are delivered again when D365 offers the message again)";
        }
        job.journal().problem(message.journalId(), status(caught), text);
        Workspace.delete(message.workDir());
        String line = job.getName() + ": export poll ended at message " + message.getCorrelationId() + ": "
                + (text.endsWith(".") ? text : text + ".") + " "
                + (delivered ? "It was delivered; when D365 offers it again it is only acknowledged."
                        : "It stays with D365, which offers it again after its visibility timeout.");
        if (quiet) {
            LOG.debug(line);
        } else {
            LOG.warn(line);
        }
    }

    /** Journals a message that cannot be delivered and writes its report (next to the kept package, if any). */
    static void recordFailure(ExportJob job, InFlightMessage message, String reason, Path kept, boolean acked) {
        long id = message.journalId();
        job.journal().failed(id, null, reason, kept == null ? null : kept.toString());
        ExportRecord row = job.journal().find(id).orElseThrow();
        String report = ExportReport.failed(row, reason, kept == null ? null : kept.getFileName().toString(), acked);
        Path written;
        if (kept != null) {
            written = ArchiveFolder.writeReport(kept, report, id);
        } else {
            // one report per message, brought up to date on every redelivery
            written = job.folder("failed").resolve(DeliveryNames.safe(job.getName() + "_" + message.getCorrelationId())
                    + ".report.txt");
            try {
                Files.createDirectories(written.getParent());
                Files.writeString(written, report, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write report " + written + ": " + e.getMessage(), e);
            }
        }
        LOG.error("{}: message {} not delivered: {} (report {})", job.getName(), message.getCorrelationId(),
                reason.lines().findFirst().orElse(""), written);
    }

    /** Words the failure for the report: which file and stylesheet an XSLT error came from. */
    private static String reason(Exchange exchange, Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof ExportRejectedException rejected) {
                return rejected.getMessage();
            }
        }
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof TransformerException te) {
                InFlightMessage message = ExportJob.message(exchange);
                Integer index = exchange.getProperty(Exchange.LOOP_INDEX, Integer.class);
                String file = message != null && index != null && index < message.files().size()
                        ? message.files().get(index).entryName() : "?";
                String where = te.getLocationAsString();
                return "The XSLT transform of '" + file + "' with " + exchange.getProperty(ExportJob.STYLESHEET)
                        + " failed: " + te.getMessage() + (where == null ? "" : "\nLocation: " + where)
                        + "\nNothing of this package was delivered.";
            }
        }
        return String.valueOf(caught);
    }

    /** An SFTP target's failure in words an operator can act on (host key, login, permission, unreachable). */
    private static String describe(Exchange exchange, ExportJob job, Throwable caught) {
        try {
            return SftpTarget.describe(caught, job.getName(),
                    exchange.getContext().resolvePropertyPlaceholders(job.deliveryUri())).orElse(describe(caught));
        } catch (RuntimeException e) {
            return describe(caught); // the plain words are still right
        }
    }

    /** The failure and its causes' messages ("Cannot connect to sftp://…: reject HostKey: …"), without repeats. */
    static String describe(Throwable caught) {
        if (caught == null) {
            return "unknown error";
        }
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = caught; t != null && depth < 5; t = t.getCause(), depth++) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }

    private static Integer status(Throwable caught) {
        if (caught instanceof TransientD365Exception t) {
            return t.httpStatus();
        }
        return caught instanceof D365RefusedException r ? r.httpStatus() : null;
    }
}
