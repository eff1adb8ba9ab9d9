package io.github.rip.exporting;

/**
 * An export message that cannot be delivered as it is: its DownloadLocation is not on the D365 host, its package is
 * malicious or unreadable, the XSLT failed. Permanent for this message: the package (if any) is quarantined in failed/
 * with a report built from this exception.
 */
public class ExportRejectedException extends RuntimeException {

    public ExportRejectedException(String message) {
        super(message);
    }

    public ExportRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
