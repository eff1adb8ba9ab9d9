package io.github.rip.operations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.github.rip.journal.ExportRecord;
import io.github.rip.journal.ImportRecord;

/**
 * Finds and reads the report the runner wrote for a journal row (the same text as the {@code .report.txt} file), and
 * D365's raw answer in it. The paths come from the journal, never from the request; a report is read up to
 * {@link #MAX_CHARS}.
 */
final class MessageReports {

    static final int MAX_CHARS = 256 * 1024;
    private static final String REPORT = ".report.txt";

    private MessageReports() {
    }

    /**
     * An import row's report: beside its archived file as {@code <file>.report.txt}, or {@code <file>.report.<row>.txt}
     * when an older report had that name; the report itself when the data file was missing; the overdue report in
     * sent/ while D365 is late.
     */
    static Optional<Path> of(ImportRecord row) {
        if (row.finalPath() != null) {
            Path archived = Path.of(row.finalPath());
            if (archived.getFileName().toString().endsWith(REPORT)) {
                return existing(archived);
            }
            return existing(archived.resolveSibling(archived.getFileName() + ".report." + row.id() + ".txt"))
                    .or(() -> existing(archived.resolveSibling(archived.getFileName() + REPORT)));
        }
        if (row.sentPath() != null && row.overdueAt() != null) {
            Path sent = Path.of(row.sentPath());
            return existing(sent.resolveSibling(sent.getFileName() + ".overdue" + REPORT));
        }
        return Optional.empty();
    }

    /** An export row's report: beside its quarantined package, or {@code failed/<job>_<correlation id>.report.txt}. */
    static Optional<Path> of(ExportRecord row, String jobFolder) {
        if (row.failedPath() != null) {
            Path kept = Path.of(row.failedPath());
            return existing(kept.resolveSibling(kept.getFileName() + ".report." + row.id() + ".txt"))
                    .or(() -> existing(kept.resolveSibling(kept.getFileName() + REPORT)));
        }
        if (jobFolder == null || row.state() != io.github.rip.journal.ExportJournal.State.FAILED) {
            return Optional.empty();
        }
        Path failed = Path.of(jobFolder, "failed");
        if (!Files.isDirectory(failed)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> reports = Files.newDirectoryStream(failed, "*_" + row.correlationId() + REPORT)) {
            for (Path report : reports) {
                return Optional.of(report);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static String read(Path report) {
        try (InputStream in = Files.newInputStream(report)) {
            byte[] bytes = in.readNBytes(MAX_CHARS * 4);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "\n[... cut: the whole report is "
                    + report + "]" : text;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What D365 answered, as the report quotes it: the raw jobstatus answer (package API: GetExecutionSummaryStatus and
     * GetExecutionErrors answers), or the body of a refused enqueue.
     */
    static String d365Answer(String report) {
        if (report == null) {
            return null;
        }
        int raw = report.indexOf("Raw jobstatus answer\n");
        if (raw < 0) {
            raw = report.indexOf("Raw package API answers\n");
        }
        if (raw >= 0) {
            return report.substring(report.indexOf('\n', report.indexOf('\n', raw) + 1) + 1).strip();
        }
        int answered = report.indexOf("D365 answered:\n");
        if (answered >= 0) {
            StringBuilder body = new StringBuilder();
            for (String line : report.substring(answered + "D365 answered:\n".length()).split("\n", -1)) {
                if (!line.startsWith("    ")) {
                    break;
                }
                body.append(line.substring(4)).append('\n');
            }
            return body.toString().strip();
        }
        return null;
    }

    private static Optional<Path> existing(Path path) {
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }
}
