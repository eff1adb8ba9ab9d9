package io.github.rip.importing;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import io.github.rip.journal.ImportRecord;
import io.github.rip.support.DurationText;

/** The human-readable reports written next to files in processed/ and failed/ (and in sent/ when D365 is late). */
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

    /**
     * D365 reached a terminal state for the message.
     *
     * @param dataFileMissing the file was no longer in sent/, so this report is all that reaches processed/ or failed/
     */
    static String completed(ImportRecord record, String job, JobStatus status, boolean dataFileMissing) {
        String result = status.succeeded() ? "PROCESSED - D365 imported the data (" + status.state() + ")"
                : "FAILED - D365 reported " + status.state();
        StringBuilder out = header(record, job, result);
        if (record.overdueAt() != null) {
            out.append("Overdue:     yes - reported overdue at ").append(time(record.overdueAt()))
                    .append(" because D365 had not finished it; it finished ")
                    .append(DurationText.of(Duration.between(record.enqueuedAt(), Instant.now())))
                    .append(" after it was enqueued\n");
        }
        if (dataFileMissing) {
            out.append("Data file:   MISSING - it was no longer in sent/ (").append(record.sentPath())
                    .append(") when D365 finished, so only this report is here. D365 received the file when it was "
                            + "enqueued; look for the file where it was moved to if you need it.\n");
        }
        out.append("D365 execution id: ").append(nullToDash(status.executionId())).append('\n');
        out.append("\nEntities\n--------\n");
        if (status.entities().isEmpty()) {
            out.append(record.isPackageApi() ? "(the package API reports no per-entity counts)\n"
                    : "(D365 reported no entity details)\n");
        }
        for (JobStatus.EntityStatus e : status.entities()) {
            out.append(String.format("%s%s: staging %d records, %d errors (%s); target %d records, %d errors (%s)%n",
                    e.entityName(), e.company() == null || e.company().isBlank() ? "" : " [" + e.company() + "]",
                    e.stagingRecords(), e.stagingErrors(), nullToDash(e.stagingStatus()), e.targetRecords(),
                    e.targetErrors(), nullToDash(e.targetStatus())));
        }
        if (status.executionLog() != null && !status.executionLog().isBlank()) {
            out.append(record.isPackageApi() ? "\nD365 execution errors (GetExecutionErrors)\n"
                    + "------------------------------------------\n" : "\nD365 execution log\n------------------\n")
                    .append(status.executionLog().strip()).append('\n');
        }
        out.append(record.isPackageApi() ? "\nRaw package API answers\n-----------------------\n"
                : "\nRaw jobstatus answer\n--------------------\n").append(status.rawJson().strip()).append('\n');
        return out.toString();
    }

    /** D365 has not finished the message after overdueAfter: what is known, and what to check in D365. */
    static String overdue(ImportRecord record, String lastState, Duration overdueAfter, Duration pollInterval,
                          String dataFile) {
        StringBuilder out = header(record, record.job(), "OVERDUE - D365 has not finished this message "
                + DurationText.of(overdueAfter) + " after it was enqueued");
        out.append("D365 state:  ").append(lastState == null ? "not known (no status check has succeeded)"
                : lastState + " (at the last status check)").append('\n');
        if (record.lastError() != null) {
            out.append("Last problem: ").append(firstLine(record.lastError())).append('\n');
        }
        out.append("Data file:   ").append(dataFile).append('\n');
        out.append("\nWhat this means\n---------------\n")
                .append("D365 accepted the file but has not reported a final state (Processed or an error) for ")
                .append("it. The file stays in sent/. The runner keeps asking D365 about the message, every ")
                .append(DurationText.of(pollInterval)).append(" from now on: when D365 finishes it, the file moves ")
                .append("to processed/ or failed/ as usual, its report says it was overdue, and this report is ")
                .append("removed.\n");
        if (record.isPackageApi()) {
            out.append("\nWhat to check in D365\n---------------------\n")
                    .append("1. Data management workspace > Job history: look up execution ").append(record.messageId())
                    .append(" of data project ").append(record.activityId()).append(": its status and its log.\n")
                    .append("2. The import runs as a batch job: System administration > Inquiries > Batch jobs, with a ")
                    .append("batch server available.\n");
            return out.toString();
        }
        out.append("\nWhat to check in D365\n---------------------\n")
                .append("1. Data management workspace > Scheduled data jobs (Manage scheduled data jobs): select ")
                .append("the recurring data job ").append(record.activityId()).append(", then Manage messages. ")
                .append("Look up message ").append(record.messageId()).append(": its status, and whether older ")
                .append("messages of the job are still waiting before it.\n")
                .append("2. The recurring data job must be enabled, and its batch job running: System ")
                .append("administration > Inquiries > Batch jobs, status Waiting or Executing (not Withhold or ")
                .append("Ended), with a batch server available.\n")
                .append("3. If the message shows an error, its execution details in Data management (Job history) ")
                .append("say why.\n");
        return out.toString();
    }

    private static StringBuilder header(ImportRecord r, String job, String result) {
        StringBuilder out = new StringBuilder();
        out.append("Result:      ").append(result).append('\n');
        out.append("File:        ").append(r.fileName()).append('\n');
        out.append("Job:         ").append(job).append(r.isPackageApi() ? " (data project " + r.activityId()
                + ", package API)\n" : " (recurring data job " + r.activityId() + ")\n");
        if (r.company() != null) {
            out.append("Company:     ").append(r.company()).append(" (legal entity)\n");
        }
        out.append("Size:        ").append(r.size()).append(" bytes, SHA-256 ").append(nullToDash(r.sha256())).append('\n');
        out.append("Taken:       ").append(time(r.createdAt())).append(" (attempts: ").append(r.attempts()).append(")\n");
        if (r.messageId() != null) {
            out.append(r.isPackageApi() ? "Execution:   " : "Message id:  ").append(r.messageId())
                    .append(r.isPackageApi() ? ", imported " : ", enqueued ").append(time(r.enqueuedAt())).append('\n');
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
