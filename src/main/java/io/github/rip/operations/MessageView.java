package io.github.rip.operations;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ExportRecord;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportRecord;

/**
 * A journal row as the messages grid shows it (the error's first line), and in full with its report for the detail
 * view. Paths are shown as the journal has them; the pop receipt and the download URL (which may carry a SAS
 * signature) never leave the runner.
 */
final class MessageView {

    static final List<String> IMPORT_STATES = List.of("CLAIMED", "ENQUEUED", "PROCESSED", "FAILED");
    static final List<String> EXPORT_STATES = List.of("DEQUEUED", "DOWNLOADED", "DELIVERED", "ACKED", "FAILED");

    private MessageView() {
    }

    static Map<String, Object> row(ImportRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("fileName", r.fileName());
        out.put("company", r.company());
        out.put("messageId", r.messageId());
        out.put("state", r.state().name());
        out.put("d365State", r.d365State());
        out.put("size", r.size());
        out.put("attempts", r.attempts());
        out.put("takenAt", JobView.time(r.createdAt()));
        out.put("enqueuedAt", JobView.time(r.enqueuedAt()));
        out.put("finishedAt", JobView.time(r.completedAt()));
        out.put("d365Counts", r.d365Summary());
        out.put("error", r.lastError() != null ? JobFailures.firstLine(r.lastError())
                : r.state() == ImportJournal.State.FAILED && r.d365State() != null ? "D365: " + r.d365State() : null);
        out.put("retryAt", JobView.time(r.retryAt()));
        out.put("overdueAt", JobView.time(r.overdueAt()));
        out.put("possibleDuplicates", r.possibleDuplicates());
        out.put("runner", r.nodeId());
        out.put("actions", r.state() == ImportJournal.State.FAILED ? List.of("retry")
                : r.state() == ImportJournal.State.ENQUEUED ? List.of("check-status") : List.of());
        return out;
    }

    static Map<String, Object> detail(ImportRecord r) {
        Map<String, Object> out = row(r);
        if (r.lastError() != null) {
            out.put("error", r.lastError());
        }
        out.put("httpStatus", r.httpStatus());
        out.put("externalId", r.externalId());
        out.put("sha256", r.sha256());
        out.put("source", r.sourcePath());
        out.put("archivedAs", r.finalPath() != null ? r.finalPath() : r.sentPath());
        out.put("updatedAt", JobView.time(r.updatedAt()));
        report(out, MessageReports.of(r).orElse(null));
        return out;
    }

    static Map<String, Object> row(ExportRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("correlationId", r.correlationId());
        out.put("state", r.state().name());
        out.put("packageName", r.packageName());
        out.put("size", r.size());
        out.put("files", r.filesWritten());
        out.put("attempts", r.attempts());
        out.put("dequeuedAt", JobView.time(r.createdAt()));
        out.put("deliveredAt", JobView.time(r.deliveredAt()));
        out.put("ackedAt", JobView.time(r.ackedAt()));
        out.put("duplicateOf", r.duplicateOf());
        out.put("runner", r.nodeId());
        out.put("error", r.lastError() == null ? null : JobFailures.firstLine(r.lastError()));
        out.put("actions", List.of());
        return out;
    }

    static Map<String, Object> detail(ExportRecord r, String jobFolder) {
        Map<String, Object> out = row(r);
        out.put("error", r.lastError());
        out.put("httpStatus", r.httpStatus());
        out.put("sha256", r.sha256());
        out.put("deliveredFiles", r.deliveredFileNames());
        out.put("quarantinedAs", r.failedPath());
        out.put("downloadedAt", JobView.time(r.downloadedAt()));
        out.put("updatedAt", JobView.time(r.updatedAt()));
        report(out, r.state() == ExportJournal.State.FAILED ? MessageReports.of(r, jobFolder).orElse(null) : null);
        return out;
    }

    private static void report(Map<String, Object> out, Path report) {
        String text = report == null ? null : MessageReports.read(report);
        out.put("reportFile", report == null ? null : report.toString());
        out.put("report", text);
        out.put("d365Answer", MessageReports.d365Answer(text));
    }
}
