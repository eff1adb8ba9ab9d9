package io.github.rip.importing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportRecord;
import io.github.rip.support.DurationText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages D365 has not finished within {@code overdueAfter} of their enqueue. Each is reported once, with an ERROR
 * and a report next to its file in sent/; the journal's overdue_at keeps it reported across restarts. From then on
 * the monitor asks about it only every {@code pollInterval}, so it still completes normally if D365 finishes it.
 */
final class OverdueMessages {

    static final String REPORT_SUFFIX = ".overdue.report.txt";

    private static final Logger LOG = LoggerFactory.getLogger(OverdueMessages.class);

    private final ImportJournal journal;
    private final Duration after;
    private final Duration pollInterval;

    OverdueMessages(ImportJournal journal, Duration after, Duration pollInterval) {
        this.journal = journal;
        this.after = after;
        this.pollInterval = pollInterval;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    /** After a status check that found no final state: reports the message if it just became overdue. */
    void check(ImportRecord record, String lastState) {
        Instant now = Instant.now();
        if (record.overdueAt() != null || record.enqueuedAt() == null || record.enqueuedAt().plus(after).isAfter(now)) {
            return;
        }
        String where;
        try {
            Path report = reportPath(record);
            Files.writeString(report, ImportReport.overdue(record, lastState, after, pollInterval, dataFile(record)),
                    StandardCharsets.UTF_8);
            where = "see " + report;
        } catch (IOException | RuntimeException e) {
            where = "its report could not be written next to " + record.sentPath() + ": " + e.getMessage();
        }
        journal.overdue(record.id(), now);
        LOG.error("{}: D365 has not finished {} (message {}) {} after it was enqueued; last state: {}. The file stays "
                        + "in sent/ and D365 is asked about the message every {} from now on. Check it in D365 under "
                        + "Manage messages of recurring data job {}; {}", record.job(), record.fileName(),
                record.messageId(), DurationText.of(after), lastState == null ? "not known" : lastState,
                DurationText.of(pollInterval), record.activityId(), where);
    }

    /** D365 finished the message: its final report (which says it was overdue) replaces the overdue one. */
    void resolved(ImportRecord record) {
        if (record.sentPath() == null) {
            return;
        }
        Path report = reportPath(record);
        try {
            Files.deleteIfExists(report);
        } catch (IOException e) {
            LOG.warn("{}: cannot delete {}: {}", record.job(), report, e.getMessage());
        }
    }

    /** {@code sent/<file>.overdue.report.txt}: next to the file the operator is looking for. */
    static Path reportPath(ImportRecord record) {
        if (record.sentPath() == null) {
            throw new IllegalStateException("the journal holds no sent/ path for this message");
        }
        return Path.of(record.sentPath() + REPORT_SUFFIX);
    }

    private static String dataFile(ImportRecord record) {
        if (ImportStatusMonitor.inSent(record)) {
            return "in sent/ (" + record.sentPath() + ")";
        }
        if (ImportStatusMonitor.onItsWayToSent(record)) {
            return "still in the inbox (" + record.sourcePath() + "), not yet moved to sent/";
        }
        return "MISSING - not in sent/ (expected at " + record.sentPath() + "); D365 is still asked about the message";
    }
}
