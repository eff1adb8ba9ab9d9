package io.github.rip.importing;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import io.github.rip.journal.ImportRecord;

/** The human-readable reports written next to files in processed/ and failed/. */
final class ImportReport {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());

    private ImportReport() {
    }

    /** A file refused before D365 accepted it: bad input, 4xx, broken package, XSLT error, duplicate. */
    static String rejected(ImportRecord record, String job, String reason, Integer httpStatus, String responseBody) {
        StringBuilder out = header(record, job, "FAILED - not imported: " + firstLine(reason));
        out.append("\nWhat went wrong\n---------------\n").append(reason.strip()).append('\n');
        if (httpStatus != null) {
            out.append("\nHTTP status: ").append(httpStatus).append('\n');
        }
        if (responseBody != null && !responseBody.isBlank()) {
            out.append("D365 answered:\n").append(indent(responseBody.strip())).append('\n');
        }
        out.append("\nWhat to do\n----------\nFix the cause, then drop the file into the job's inbox again.\n");
        return out.toString();
    }

    /** D365 reached a terminal state for the message. */
    static String completed(ImportRecord record, String job, JobStatus status) {
        String result = status.succeeded() ? "PROCESSED - D365 imported the data (" + status.state() + ")"
                : "FAILED - D365 reported " + status.state();
        StringBuilder out = header(record, job, result);
        out.append("D365 execution id: ").append(nullToDash(status.executionId())).append('\n');
        out.append("\nEntities\n--------\n");
        if (status.entities().isEmpty()) {
            out.append("(D365 reported no entity details)\n");
        }
        for (JobStatus.EntityStatus e : status.entities()) {
            out.append(String.format("%s%s: staging %d records, %d errors (%s); target %d records, %d errors (%s)%n",
                    e.entityName(), e.company() == null || e.company().isBlank() ? "" : " [" + e.company() + "]",
                    e.stagingRecords(), e.stagingErrors(), nullToDash(e.stagingStatus()), e.targetRecords(),
                    e.targetErrors(), nullToDash(e.targetStatus())));
        }
        if (status.executionLog() != null && !status.executionLog().isBlank()) {
            out.append("\nD365 execution log\n------------------\n").append(status.executionLog().strip()).append('\n');
        }
        out.append("\nRaw jobstatus answer\n--------------------\n").append(status.rawJson().strip()).append('\n');
        return out.toString();
    }

    private static StringBuilder header(ImportRecord r, String job, String result) {
        StringBuilder out = new StringBuilder();
        out.append("Result:      ").append(result).append('\n');
        out.append("File:        ").append(r.fileName()).append('\n');
        out.append("Job:         ").append(job).append(" (recurring data job ").append(r.activityId()).append(")\n");
        out.append("Size:        ").append(r.size()).append(" bytes, SHA-256 ").append(nullToDash(r.sha256())).append('\n');
        out.append("Taken:       ").append(time(r.createdAt())).append(" (attempts: ").append(r.attempts()).append(")\n");
        if (r.messageId() != null) {
            out.append("Message id:  ").append(r.messageId()).append(", enqueued ").append(time(r.enqueuedAt())).append('\n');
        }
        if (r.possibleDuplicates() > 0) {
            out.append("Warning:     ").append(r.possibleDuplicates()).append(" earlier enqueue request(s) went out without "
                    + "an answer (runner stopped or network cut); D365 may hold an extra copy of this file.\n");
        }
        out.append("Reported:    ").append(time(Instant.now())).append('\n');
        return out;
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }

    private static String nullToDash(String s) {
        return s == null ? "-" : s;
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
