package io.github.rip.exporting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.github.rip.connector.BlobUrl;
import io.github.rip.connector.D365Call;
import io.github.rip.connector.D365RefusedException;
import io.github.rip.connector.ODataValue;
import io.github.rip.connector.TransientD365Exception;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ExportRecord;
import io.github.rip.support.JobParameters;
import io.github.rip.support.LogFields;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An export job that runs D365's data management package API instead of reading a recurring data job's queue
 * (d365-package-api-export.camel.yaml): per poll one execution, ExportToPackage, GetExecutionSummaryStatus until it
 * ends, GetExportedPackageUrl, the package downloaded from that blob URL without the bearer token; then the same
 * staging, XSLT, delivery and journal steps as {@link ExportJob}. The journal row's correlation id is the execution
 * id; a row that is not finished is carried on by the next poll (after a stop, an expired URL, a slow export), so an
 * execution is never exported twice and never forgotten. There is nothing to acknowledge: a delivered execution's row
 * becomes ACKED ("finished").
 */
public class PackageApiExportJob extends ExportJob {

    /** What the poll does next (exchange property {@link ExportJob#ACTION}), besides ExportJob's EXPORT and ACK. */
    static final String START = "START";
    static final String CHECK = "CHECK";
    static final String FINISH = "FINISH";
    static final String FAILED = "FAILED";
    static final String WAIT = "WAIT";
    /** true while the execution runs and the poll keeps asking (exchange property). */
    public static final String RUNNING = "ripExecutionRunning";
    private static final String EXECUTION_ID = "ripExecutionId";
    private static final String CHECKING_SINCE = "ripCheckingSince";
    private static final String FAILED_STATE = "ripExecutionState";

    private static final Logger LOG = LoggerFactory.getLogger(PackageApiExportJob.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private String company = "";
    private String packageName = "";
    private Duration statusTimeout = Duration.ofMinutes(10);

    /** A poll carries on with the job's unfinished execution, or starts a new one (ExportToPackage). */
    public void startOrResume(Exchange exchange) {
        exchange.setProperty(CHECKING_SINCE, Instant.now());
        Optional<ExportRecord> open = journal().unfinished(getName());
        if (open.isPresent()) {
            ExportRecord row = open.get();
            track(exchange, row);
            exchange.setProperty(ACTION, row.state() == ExportJournal.State.DELIVERED ? FINISH : CHECK);
            exchange.setProperty(RUNNING, row.state() != ExportJournal.State.DELIVERED);
            LOG.info("{}: carries on with export execution {} (started {}, {})", getName(), row.correlationId(),
                    row.createdAt(), row.state());
            return;
        }
        String executionId = newExecutionId();
        exchange.setProperty(EXECUTION_ID, executionId);
        exchange.setProperty(D365Call.PROPERTY, D365Call.exportToPackage(getActivityId(),
                packageName.isBlank() ? getName() : packageName, executionId, false, company));
        exchange.setProperty(ACTION, START);
    }

    /** ExportToPackage answered the execution id: the journal row is opened, the poll asks about it. */
    public void exportStarted(Exchange exchange) {
        String value = ODataValue.text(exchange.getMessage().getBody(String.class));
        String executionId = value == null || value.isBlank() ? exchange.getProperty(EXECUTION_ID, String.class)
                : value.trim();
        long id = journal().open(getName(), getActivityId(), executionId, null, null).getAsLong(); // a new execution id
        track(exchange, journal().find(id).orElseThrow());
        exchange.setProperty(ACTION, CHECK);
        exchange.setProperty(RUNNING, true);
        LOG.info("{}: export execution {} of data project '{}' started", getName(), executionId, getActivityId());
    }

    /** GetExecutionSummaryStatus of the execution in hand. */
    public void statusCall(Exchange exchange) {
        exchange.setProperty(D365Call.PROPERTY, D365Call.executionSummaryStatus(message(exchange).getCorrelationId()));
    }

    /**
     * Succeeded / PartiallySucceeded: the package is fetched. Failed / Canceled: reported, the next poll starts anew.
     * Anything else: asked again after the job's statusPollInterval, until its statusTimeout; then the next poll asks.
     */
    public void statusAnswered(Exchange exchange) {
        String state = ODataValue.text(exchange.getMessage().getBody(String.class));
        String lower = state == null ? "" : state.trim().toLowerCase(Locale.ROOT);
        InFlightMessage message = message(exchange);
        switch (lower) {
            case "succeeded", "partiallysucceeded" -> {
                if (lower.startsWith("partially")) {
                    LOG.warn("{}: export execution {} ended PartiallySucceeded; what D365 exported is delivered",
                            getName(), message.getCorrelationId());
                }
                exchange.setProperty(RUNNING, false);
                exchange.setProperty(ACTION, Action.EXPORT.name());
            }
            case "failed", "canceled" -> {
                exchange.setProperty(RUNNING, false);
                exchange.setProperty(ACTION, FAILED);
                exchange.setProperty(FAILED_STATE, state.trim());
            }
            default -> {
                Instant since = exchange.getProperty(CHECKING_SINCE, Instant.class);
                if (Duration.between(since, Instant.now()).compareTo(statusTimeout) > 0) {
                    LOG.info("{}: export execution {} is still {} after {}; the next poll asks again", getName(),
                            message.getCorrelationId(), state, statusTimeout);
                    exchange.setProperty(RUNNING, false);
                    exchange.setProperty(ACTION, WAIT);
                }
            }
        }
    }

    /** GetExportedPackageUrl of the execution in hand. */
    public void packageUrlCall(Exchange exchange) {
        exchange.setProperty(D365Call.PROPERTY, D365Call.exportedPackageUrl(message(exchange).getCorrelationId()));
    }

    /**
     * The package's blob URL: downloaded without the bearer token. "" means D365 has not written the package yet
     * (transient: asked again in place). Every attempt asks for a new URL, so an expired one is never reused.
     */
    public void packageUrlReceived(Exchange exchange) throws IOException {
        InFlightMessage message = message(exchange);
        String url = ODataValue.text(exchange.getMessage().getBody(String.class));
        if (url == null || url.isBlank()) {
            throw new TransientD365Exception("GetExportedPackageUrl has no package URL for execution "
                    + message.getCorrelationId() + " yet", null, null);
        }
        D365Call download = D365Call.blobDownload(url);
        LOG.debug("{}: downloading execution {} from {}", getName(), message.getCorrelationId(), BlobUrl.masked(url));
        Files.createDirectories(message.workDir());
        exchange.setProperty(D365Call.PROPERTY, download);
    }

    /** Every file reached the target (or the package was a duplicate): the execution is finished. */
    public void finished(Exchange exchange) {
        InFlightMessage message = message(exchange);
        journal().acked(message.journalId());
        Workspace.delete(message.workDir());
        LOG.info("{}: export execution {} finished", getName(), message.getCorrelationId());
    }

    /** The execution ended Failed or Canceled: journaled FAILED with a report; the next poll starts a new export. */
    public void executionFailed(Exchange exchange) {
        InFlightMessage message = message(exchange);
        failExecution(message, "D365 ended export execution " + message.getCorrelationId() + " as "
                + exchange.getProperty(FAILED_STATE, String.class) + ", without a package to deliver.");
    }

    /**
     * D365 refused a call about the execution in hand (400 for GetExecutionSummaryStatus: it no longer knows it, for
     * instance after its history was cleaned up): the execution is given up with a report, else every poll would ask
     * about it forever. Refusals of ExportToPackage itself (an unknown data project) leave nothing to give up.
     */
    public void refused(Exchange exchange) {
        InFlightMessage message = message(exchange);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        D365Call call = exchange.getProperty(D365Call.PROPERTY, D365Call.class);
        boolean aboutTheExecution = call != null && (call.name().equals("GetExecutionSummaryStatus")
                || call.name().equals("GetExportedPackageUrl"));
        if (message != null && aboutTheExecution && caught instanceof D365RefusedException refusal) {
            failExecution(message, "D365 refused a call about export execution " + message.getCorrelationId() + ": "
                    + refusal.getMessage());
        }
    }

    /** A package that cannot be delivered is kept in failed/ (ExportErrors.rejected): the execution is settled. */
    public void quarantined(Exchange exchange) {
        InFlightMessage message = message(exchange);
        journal().acked(message.journalId());
    }

    private void failExecution(InFlightMessage message, String reason) {
        long id = message.journalId();
        journal().failed(id, null, reason, null);
        journal().acked(id); // nothing to acknowledge in D365: this settles the row, the next poll starts anew
        ExportRecord row = journal().find(id).orElseThrow();
        Path report = folder("failed").resolve(DeliveryNames.safe(getName() + "_" + message.getCorrelationId())
                + ".report.txt");
        try {
            Files.createDirectories(report.getParent());
            Files.writeString(report, ExportReport.executionFailed(row, reason), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("{}: cannot write report {}: {}", getName(), report, e.getMessage());
        }
        Workspace.delete(message.workDir());
        LOG.error("{}: {} (report {})", getName(), reason.lines().findFirst().orElse(""), report);
    }

    private void track(Exchange exchange, ExportRecord row) {
        DequeueResponse execution = new DequeueResponse("{}", row.correlationId(), null, null, true, null, null);
        InFlightMessage message = new InFlightMessage(execution, row.id(), row.createdAt(),
                folder("work").resolve(String.valueOf(row.id())));
        exchange.setProperty(ExportResponses.MESSAGE, message);
        LogFields.set(exchange, LogFields.MESSAGE_ID, row.correlationId());
    }

    /** {@code <job>-<UTC time>-<random>}: readable in D365's job history, unique, at most 64 characters. */
    private String newExecutionId() {
        String job = getName().replaceAll("[^A-Za-z0-9_-]", "");
        job = job.length() > 30 ? job.substring(0, 30) : job;
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return job + "-" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "-" + HexFormat.of().formatHex(random);
    }

    /** Legal entity of the export (ExportToPackage's legalEntityId). */
    public void setCompany(String company) {
        this.company = company == null ? "" : company.trim();
    }

    /** ExportToPackage's packageName; empty = the job name. */
    public void setPackageName(String packageName) {
        this.packageName = packageName == null ? "" : packageName.trim();
    }

    /** How long one poll waits for the execution to end (e.g. 10m) before leaving it to the next poll. */
    public void setStatusTimeout(String timeout) {
        this.statusTimeout = JobParameters.duration(getName(), "statusTimeout", timeout);
    }
}
