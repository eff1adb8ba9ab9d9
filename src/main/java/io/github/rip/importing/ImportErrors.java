package io.github.rip.importing;

import java.time.Duration;

import javax.xml.transform.TransformerException;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The import routes' error handler steps: permanent failures to failed/ with a report, transient ones retried later. */
public class ImportErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ImportErrors.class);

    private Duration firstBackoff = Duration.ofSeconds(30);
    private Duration maxBackoff = Duration.ofMinutes(15);

    /** The file cannot be imported as it is. */
    public void rejected(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ImportJob job = exchange.getProperty(ImportJob.JOB, ImportJob.class);
        if (job == null || exchange.getProperty(ImportJob.JOURNAL_ID) == null) {
            LOG.error("A file failed before it was claimed; it stays where it is", caught);
            return;
        }
        job.reject(exchange, asRejection(caught));
    }

    /** Something that may pass: the file stays in the inbox with a due time for its next attempt. */
    public void retryLater(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ImportJob job = exchange.getProperty(ImportJob.JOB, ImportJob.class);
        if (job == null) {
            LOG.warn("Import failed before the file was claimed; it stays in the inbox: {}", String.valueOf(caught));
            return;
        }
        job.retryLater(exchange, caught, firstBackoff, maxBackoff);
    }

    /** True when anything in the cause chain says the file itself is the problem (so retrying cannot help). */
    public boolean isPermanent(Exchange exchange) {
        Throwable caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof ImportRejectedException || t instanceof TransformerException
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
