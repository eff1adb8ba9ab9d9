package io.github.rip.importing;

import java.time.Duration;
import java.time.Instant;

import javax.xml.transform.TransformerException;

import io.github.rip.auth.AuthenticationFailedException;
import io.github.rip.connector.D365Environments;
import io.github.rip.connector.D365RefusedException;
import io.github.rip.journal.ImportRecord;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The import routes' error handler steps: permanent failures to failed/ with a report, transient ones retried later. */
public class ImportErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ImportErrors.class);

    private final D365Environments environments;
    private Duration firstBackoff = Duration.ofSeconds(30);
    private Duration maxBackoff = Duration.ofMinutes(15);

    public ImportErrors(D365Environments environments) {
        this.environments = environments;
    }

    /** The file cannot be imported as it is. */
    public void rejected(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ImportFile file = ImportFile.of(exchange);
        if (file == null || file.getJournalId() == null) {
            LOG.error("A file failed before it was claimed; it stays where it is", caught);
            return;
        }
        file.getJob().reject(exchange, asRejection(caught));
    }

    /** Something that may pass: the file stays in the inbox with a due time for its next attempt. */
    public void retryLater(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ImportFile file = ImportFile.of(exchange);
        if (file == null) {
            LOG.warn("Import failed before the file was claimed; it stays in the inbox: {}", String.valueOf(caught));
            return;
        }
        file.getJob().retryLater(exchange, caught, firstBackoff, maxBackoff);
    }

    /**
     * Entra ID or D365 refused the runner's identity: nothing is wrong with the file. Said once for all files by
     * {@link io.github.rip.auth.AuthStatus}; the file waits in the inbox with the normal backoff, without a warning per file and attempt.
     */
    public void authenticationFailed(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        AuthenticationFailedException refusal = AuthenticationFailedException.in(caught).orElse(null);
        if (refusal == null) {
            retryLater(exchange);
            return;
        }
        environments.of(exchange).auth().failed(refusal); // the job's environment
        ImportFile file = ImportFile.of(exchange);
        Long id = file == null ? null : file.getJournalId();
        if (id == null) {
            return; // not claimed yet: the file is simply taken again at a later poll
        }
        ImportJob job = file.getJob();
        int attempts = job.journal.find(id).map(ImportRecord::attempts).orElse(1);
        Instant next = Instant.now().plus(backoff(attempts, firstBackoff, maxBackoff));
        job.journal.retryLater(id, refusal.httpStatus(), refusal.getMessage(), next);
        file.deleteWork();
        LOG.debug("{}: {} waits for authentication to work, next attempt at {}", job.getName(), file.getFileName(), next);
    }

    /** The wait before attempt {@code attempts + 1}: doubling from {@code first}, at most {@code max}. */
    static Duration backoff(int attempts, Duration first, Duration max) {
        Duration backoff = first.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
        return backoff.compareTo(max) > 0 ? max : backoff;
    }

    /** True when anything in the cause chain says the file itself is the problem (so retrying cannot help). */
    public boolean isPermanent(Exchange exchange) {
        Throwable caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof ImportRejectedException || t instanceof D365RefusedException || t instanceof TransformerException
                    || t.getClass().getName().equals("io.github.rip.packaging.PackageBuildException")) {
                return true;
            }
        }
        return false;
    }

    /** Finds the reason in the cause chain and words it for the report. */
    static ImportRejectedException asRejection(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof ImportRejectedException rejected) {
                return rejected;
            }
        }
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof D365RefusedException refused) {
                return new ImportRejectedException(refused.getMessage(), refused.httpStatus(), refused.responseBody());
            }
            if (t instanceof TransformerException te) {
                String where = te.getLocationAsString();
                return new ImportRejectedException("The XSLT transform failed: " + te.getMessage()
                        + (where == null ? "" : "\nLocation: " + where));
            }
            if (t.getClass().getName().equals("io.github.rip.packaging.PackageBuildException")) {
                return new ImportRejectedException("The data package could not be built: " + t.getMessage());
            }
        }
        return new ImportRejectedException(String.valueOf(caught));
    }

    public void setFirstBackoff(Duration firstBackoff) {
        this.firstBackoff = firstBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }
}
