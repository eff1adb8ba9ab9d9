package io.github.rip.exporting;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import io.github.rip.journal.ExportRecord;

/** The human-readable report written to an export job's failed/ folder when a message cannot be delivered. */
final class ExportReport {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());

    private ExportReport() {
    }

    /**
     * @param keptAs the quarantined package's file name, null when nothing was downloaded
     * @param acked  whether the message is (about to be) acknowledged, so D365 stops offering it
     */
    /** A package API export whose execution ended without a package (Failed, Canceled), or that D365 forgot. */
    static String executionFailed(ExportRecord r, String reason) {
        StringBuilder out = new StringBuilder();
        out.append("Result:          FAILED - nothing exported: ").append(firstLine(reason)).append('\n');
        out.append("Export job:      ").append(r.job()).append(" (data project ").append(r.activityId())
                .append(", package API)\n");
        out.append("Execution id:    ").append(r.correlationId()).append(", started ").append(time(r.createdAt()))
                .append('\n');
        out.append("Reported:        ").append(time(Instant.now())).append('\n');
        out.append("\nWhat went wrong\n---------------\n").append(reason.strip()).append('\n');
        out.append("\nWhat to do\n----------\nLook the execution up in D365 (Data management workspace > Job "
                + "history). The next poll starts a new export; this execution is not asked about again.\n");
        return out.toString();
    }

    static String failed(ExportRecord r, String reason, String keptAs, boolean acked) {
        StringBuilder out = new StringBuilder();
        out.append("Result:          FAILED - not delivered: ").append(firstLine(reason)).append('\n');
        out.append("Export job:      ").append(r.job()).append(" (recurring data job ").append(r.activityId())
                .append(")\n");
        out.append("Correlation id:  ").append(r.correlationId()).append('\n');
        if (r.sha256() != null) {
            out.append("Package:         ").append(r.packageName() == null ? "(no name)" : r.packageName()).append(", ")
                    .append(r.size()).append(" bytes, SHA-256 ").append(r.sha256()).append('\n');
        }
        out.append("Dequeued:        first ").append(time(r.createdAt())).append(", ").append(r.attempts())
                .append(" time(s)\n");
        out.append("Package kept as: ").append(keptAs == null ? "- (nothing was downloaded)" : keptAs + " (this folder)")
                .append('\n');
        out.append("D365:            ").append(acked
                ? "acknowledged after the package was kept here: D365 will not offer this message again"
                : "NOT acknowledged: D365 offers the message again after its visibility timeout (30 minutes)")
                .append('\n');
        out.append("Reported:        ").append(time(Instant.now())).append('\n');
        out.append("\nWhat went wrong\n---------------\n").append(reason.strip()).append('\n');
        out.append("\nWhat to do\n----------\n");
        if (keptAs != null) {
            out.append("Inspect the kept package. Nothing of it reached the target. If its content is wanted after all ")
                    .append("(for example once a stylesheet is fixed), take the files from the kept package by hand, or ")
                    .append("run the export again in D365.\n");
        } else {
            out.append("Fix the cause; the message is processed again when D365 offers it again. The journal ")
                    .append("(rip_export_journal, correlation id above) records every attempt.\n");
        }
        return out.toString();
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
