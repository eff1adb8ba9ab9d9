package io.github.rip.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

/** The import journal: one durable row per file an import job took, through plain JDBC (H2 or PostgreSQL). */
public final class ImportJournal {

    /** The states of a row; see docs/architecture.md for the transitions. */
    public enum State { CLAIMED, ENQUEUED, PROCESSED, FAILED }

    static final String COLUMNS = "id, job, file_name, source_path, size_bytes, sha256, activity_id, state, message_id, "
            + "sent_path, processed_dir, failed_dir, final_path, attempts, request_sent, possible_duplicates, retry_at, "
            + "http_status, last_error, d365_state, d365_summary, created_at, updated_at, enqueued_at, completed_at, "
            + "source_modified, external_id, overdue_at, node_id, d365_api, company";

    /** {@code d365_api} of a row the recurring integrations (connector) API took: message id, jobstatus. */
    public static final String CONNECTOR = "connector";
    /** {@code d365_api} of a row the data management package API took: execution id, GetExecutionSummaryStatus. */
    public static final String PACKAGE_API = "package-api";

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private volatile JournalListener listener = JournalListener.NONE;
    /** The runner recorded on claims and attempts (rip.node.id). */
    private volatile String nodeId;

    public ImportJournal(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource, "Import journal");
    }

    /** The runner that records claims through this journal (rip.node.id). */
    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    /** Who is told about each change of a row's state (one listener; metrics). */
    public void setListener(JournalListener listener) {
        this.listener = listener == null ? JournalListener.NONE : listener;
    }

    private void changed(JournalListener.ImportChange change, long id) {
        JournalListener.safely(() -> listener.importChanged(change, id));
    }

    /**
     * Records a newly claimed file and returns its row id; empty when an open claim (a CLAIMED row) of this job for this
     * file name exists already: another runner took the file at the same moment (the database's unique claim key decides,
     * so of any number of racing runners exactly one gets a row).
     */
    public OptionalLong claim(String job, String fileName, String sourcePath, long size, Instant modified, String sha256,
                              String activityId, String processedDir, String failedDir) {
        return claim(job, JournalCompany.ANY, fileName, sourcePath, size, modified, sha256, activityId, processedDir,
                failedDir);
    }

    /**
     * As {@link #claim(String, String, String, long, Instant, String, String, String, String)}, recording the file's
     * legal entity; a job that takes the company per file claims "this file name of this company"
     * (see {@link JournalCompany}).
     */
    public OptionalLong claim(String job, JournalCompany company, String fileName, String sourcePath, long size,
                              Instant modified, String sha256, String activityId, String processedDir, String failedDir) {
        OptionalLong claimed = insertClaim(job, company, fileName, sourcePath, size, modified, sha256, activityId,
                processedDir, failedDir);
        // told once the connection is back in the pool: a listener that reads the row must not need a second one
        // while this thread holds the first (eight threads claiming at once would hold the whole pool)
        claimed.ifPresent(id -> changed(JournalListener.ImportChange.CLAIMED, id));
        return claimed;
    }

    private OptionalLong insertClaim(String job, JournalCompany company, String fileName, String sourcePath, long size,
                                     Instant modified, String sha256, String activityId, String processedDir,
                                     String failedDir) {
        String sql = "INSERT INTO rip_import_journal (job, file_name, source_path, size_bytes, sha256, activity_id, state, "
                + "processed_dir, failed_dir, attempts, request_sent, possible_duplicates, created_at, updated_at, "
                + "source_modified, node_id, claim_key, company) "
                + "VALUES (?, ?, ?, ?, ?, ?, 'CLAIMED', ?, ?, 1, FALSE, 0, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            LocalDateTime now = Jdbc.now();
            Jdbc.bind(ps, job, fileName, sourcePath, size, sha256, activityId, processedDir, failedDir, now, now,
                    modified == null ? null : Jdbc.utc(modified), nodeId, company.claimKey(job, fileName),
                    company.recorded());
            ps.executeUpdate();
            long id;
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            return OptionalLong.of(id);
        } catch (SQLException e) {
            if (Jdbc.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return OptionalLong.empty();
            }
            throw new JournalException("Cannot record claim of " + fileName, e);
        }
    }

    /** The newest row of this job for this file name, if any. */
    public Optional<ImportRecord> latest(String job, String fileName) {
        return latest(job, JournalCompany.ANY, fileName);
    }

    /** The newest row of this job for this file name (of this company, when the job takes it per file), if any. */
    public Optional<ImportRecord> latest(String job, JournalCompany company, String fileName) {
        List<ImportRecord> rows = query("SELECT " + COLUMNS + " FROM rip_import_journal WHERE job = ? AND file_name = ? "
                + company.condition() + " ORDER BY id DESC", 1, company.args(job, fileName));
        return rows.stream().findFirst();
    }

    /** The newest row of this job with the same name and content created after {@code since}. */
    public Optional<ImportRecord> sameContent(String job, String fileName, String sha256, Instant since) {
        List<ImportRecord> rows = query("SELECT " + COLUMNS + " FROM rip_import_journal WHERE job = ? AND file_name = ? "
                + "AND sha256 = ? AND created_at >= ? ORDER BY id DESC", 1, job, fileName, sha256, Jdbc.utc(since));
        return rows.stream().findFirst();
    }

    /** The newest row of this job with the same name and content that D365 accepted (ENQUEUED or PROCESSED) after {@code since}. */
    public Optional<ImportRecord> acceptedCopy(String job, String fileName, String sha256, Instant since) {
        return acceptedCopy(job, JournalCompany.ANY, fileName, sha256, since);
    }

    /** As {@link #acceptedCopy(String, String, String, Instant)}, of this company when the job takes it per file. */
    public Optional<ImportRecord> acceptedCopy(String job, JournalCompany company, String fileName, String sha256,
                                               Instant since) {
        List<ImportRecord> rows = query("SELECT " + COLUMNS + " FROM rip_import_journal WHERE job = ? AND file_name = ? "
                + "AND sha256 = ? AND created_at >= ? AND state IN ('ENQUEUED', 'PROCESSED')" + company.condition()
                + " ORDER BY id DESC", 1, company.args(job, fileName, sha256, Jdbc.utc(since)));
        return rows.stream().findFirst();
    }

    /** Whether D365 accepted (ENQUEUED or PROCESSED) a file of this name for this job after {@code since}. */
    public boolean acceptedByName(String job, String fileName, Instant since) {
        return acceptedByName(job, JournalCompany.ANY, fileName, since);
    }

    /** As {@link #acceptedByName(String, String, Instant)}, of this company when the job takes it per file. */
    public boolean acceptedByName(String job, JournalCompany company, String fileName, Instant since) {
        return !query("SELECT " + COLUMNS + " FROM rip_import_journal WHERE job = ? AND file_name = ? AND created_at >= ? "
                + "AND state IN ('ENQUEUED', 'PROCESSED')" + company.condition(), 1,
                company.args(job, fileName, Jdbc.utc(since))).isEmpty();
    }

    /** Records the SHA-256 of a row claimed before its content was hashed (a big file hashed while it uploads). */
    public void contentHash(long id, String sha256) {
        update("UPDATE rip_import_journal SET sha256 = ? WHERE id = ?", sha256, id);
    }

    public Optional<ImportRecord> find(long id) {
        return query("SELECT " + COLUMNS + " FROM rip_import_journal WHERE id = ?", 1, id).stream().findFirst();
    }

    /** Rows whose message is in D365's hands and not yet terminal, oldest first. */
    public List<ImportRecord> enqueued(int limit) {
        return query("SELECT " + COLUMNS + " FROM rip_import_journal WHERE state = 'ENQUEUED' "
                + "ORDER BY COALESCE(status_checked_at, enqueued_at), id", limit);
    }

    /**
     * A new attempt of a CLAIMED row, with what the file is now (it may have been replaced while it waited); counts a
     * possible duplicate if the previous attempt's request went out unanswered. Compare-and-set on the attempt the
     * caller read: false when another runner started an attempt (or finished the row) since, and the file is theirs.
     */
    public boolean retryAttempt(long id, int seenAttempts, long size, Instant modified, String sha256) {
        boolean won = jdbc.updateCount("UPDATE rip_import_journal SET attempts = attempts + 1, size_bytes = ?, "
                + "source_modified = ?, sha256 = ?, "
                + "possible_duplicates = possible_duplicates + CASE WHEN request_sent THEN 1 ELSE 0 END, "
                + "request_sent = FALSE, retry_at = NULL, node_id = ?, updated_at = ? "
                + "WHERE id = ? AND state = 'CLAIMED' AND attempts = ?",
                size, modified == null ? null : Jdbc.utc(modified), sha256, nodeId, Jdbc.now(), id, seenAttempts) == 1;
        if (won) {
            changed(JournalListener.ImportChange.RETRIED, id);
        }
        return won;
    }

    /** Marks that the enqueue request is about to leave: if we die before its answer is recorded, D365 may hold a copy. */
    public void requestSent(long id) {
        // an earlier request that never got an answer may have reached D365: that is a possible duplicate
        update("UPDATE rip_import_journal SET possible_duplicates = possible_duplicates "
                + "+ CASE WHEN request_sent THEN 1 ELSE 0 END, request_sent = TRUE, updated_at = ? WHERE id = ?", Jdbc.now(), id);
    }

    /** D365 refused the enqueue request: it left no message behind (a success is recorded by {@link #enqueued}). */
    public void refused(long id) {
        update("UPDATE rip_import_journal SET request_sent = FALSE, updated_at = ? WHERE id = ?", Jdbc.now(), id);
    }

    /**
     * D365 accepted the file: message id and archive location recorded in one statement, before the file moves; the
     * claim closes. False when the row was no longer CLAIMED (another runner recorded it first).
     */
    public boolean enqueued(long id, String messageId, String sentPath) {
        LocalDateTime now = Jdbc.now();
        boolean won = jdbc.updateCount("UPDATE rip_import_journal SET state = 'ENQUEUED', message_id = ?, sent_path = ?, "
                + "request_sent = FALSE, claim_key = NULL, http_status = 200, last_error = NULL, retry_at = NULL, "
                + "enqueued_at = ?, updated_at = ? WHERE id = ? AND state = 'CLAIMED'",
                messageId, sentPath, now, now, id) == 1;
        if (won) {
            changed(JournalListener.ImportChange.ENQUEUED, id);
        }
        return won;
    }

    /** What D365 is given as external identifier when it is not the file name itself (see ExternalIdentifier). */
    public void externalId(long id, String externalId) {
        update("UPDATE rip_import_journal SET external_id = ? WHERE id = ?", externalId, id);
    }

    /**
     * The row is imported through the package API ({@link #PACKAGE_API}; a claim is {@link #CONNECTOR}): recorded
     * before its first request leaves, so the status monitor asks GetExecutionSummaryStatus about its execution id.
     */
    public void packageApi(long id) {
        update("UPDATE rip_import_journal SET d365_api = ? WHERE id = ?", PACKAGE_API, id);
    }

    /** An ENQUEUED row whose file is gone: it keeps its message (still checked with D365) but no longer names a sent/ file. */
    public void fileLost(long id, String why) {
        update("UPDATE rip_import_journal SET sent_path = NULL, last_error = ?, updated_at = ? WHERE id = ?",
                Jdbc.text(why), Jdbc.now(), id);
    }

    /** A transient failure: the file stays in the inbox and is tried again at {@code retryAt}. */
    public void retryLater(long id, Integer httpStatus, String error, Instant retryAt) {
        update("UPDATE rip_import_journal SET http_status = ?, last_error = ?, retry_at = ?, updated_at = ? WHERE id = ?",
                httpStatus, Jdbc.text(error), Jdbc.utc(retryAt), Jdbc.now(), id);
        changed(JournalListener.ImportChange.WAITING, id);
    }

    /** A permanent failure before or at enqueue: the file went to failed/. */
    public void failed(long id, Integer httpStatus, String error, String finalPath) {
        LocalDateTime now = Jdbc.now();
        update("UPDATE rip_import_journal SET state = 'FAILED', http_status = ?, last_error = ?, final_path = ?, "
                + "retry_at = NULL, claim_key = NULL, completed_at = ?, updated_at = ? WHERE id = ? AND state = 'CLAIMED'",
                httpStatus, Jdbc.text(error), finalPath, now, now, id);
        changed(JournalListener.ImportChange.REJECTED, id);
    }

    /** The status monitor is about to archive the message's file under this name (before it moves anything). */
    public void archiving(long id, String finalPath) {
        update("UPDATE rip_import_journal SET final_path = ?, updated_at = ? WHERE id = ?", finalPath, Jdbc.now(), id);
    }

    /** D365 reached a terminal state for the message: the file moved to processed/ or failed/ (once: from ENQUEUED). */
    public void completed(long id, State state, String d365State, String summary, String finalPath) {
        LocalDateTime now = Jdbc.now();
        if (jdbc.updateCount("UPDATE rip_import_journal SET state = ?, d365_state = ?, d365_summary = ?, final_path = ?, "
                + "completed_at = ?, updated_at = ? WHERE id = ? AND state = 'ENQUEUED'", state.name(), d365State,
                Jdbc.text(summary), finalPath, now, now, id) == 1) {
            changed(JournalListener.ImportChange.FINISHED, id);
        }
    }

    /** A status check found the message still in progress (or failed to ask): it goes to the back of the queue. */
    public void statusChecked(long id, String d365State) {
        update("UPDATE rip_import_journal SET d365_state = COALESCE(?, d365_state), status_checked_at = ? WHERE id = ?",
                d365State, Jdbc.now(), id);
    }

    /** Remembers the last status check problem of an enqueued message without changing its state. */
    public void statusProblem(long id, Integer httpStatus, String error, String d365State) {
        update("UPDATE rip_import_journal SET http_status = ?, last_error = ?, d365_state = ?, updated_at = ? WHERE id = ?",
                httpStatus, Jdbc.text(error), d365State, Jdbc.now(), id);
    }

    private void update(String sql, Object... args) {
        jdbc.update(sql, args);
    }

    private List<ImportRecord> query(String sql, int limit, Object... args) {
        return jdbc.query(sql, limit, ImportRecord::from, args);
    }

    /**
     * ENQUEUED rows due for a status check, least recently checked first; a row reported overdue only when it was last
     * checked before {@code overdueCheckedBefore} (D365 is asked about it less often).
     */
    public List<ImportRecord> dueForStatusCheck(int limit, Instant overdueCheckedBefore) {
        return query("SELECT " + COLUMNS + " FROM rip_import_journal WHERE state = 'ENQUEUED' "
                + "AND (overdue_at IS NULL OR COALESCE(status_checked_at, enqueued_at) <= ?) "
                + "ORDER BY COALESCE(status_checked_at, enqueued_at), id", limit, Jdbc.utc(overdueCheckedBefore));
    }

    /**
     * An operator asked for a status check now: the row gets the oldest possible "last checked" time, which puts it first
     * in the status monitor's next round (an overdue one too). Returns false when the row is not ENQUEUED (any more).
     */
    public boolean checkStatusSoon(long id) {
        return jdbc.updateCount("UPDATE rip_import_journal SET status_checked_at = ? WHERE id = ? AND state = 'ENQUEUED'",
                Jdbc.utc(Instant.EPOCH), id) > 0;
    }

    /** Records that the runner reported the message overdue; a row already reported keeps its first time. */
    public void overdue(long id, Instant reportedAt) {
        update("UPDATE rip_import_journal SET overdue_at = ? WHERE id = ? AND overdue_at IS NULL",
                Jdbc.utc(reportedAt), id);
    }
}
