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

/** The export journal: one durable row per export message (job + CorrelationId), through plain JDBC (H2 or PostgreSQL). */
public final class ExportJournal {

    /** The states of a row; see docs/architecture.md for the transitions. */
    public enum State { DEQUEUED, DOWNLOADED, DELIVERED, ACKED, FAILED }

    static final String COLUMNS = "id, job, activity_id, correlation_id, pop_receipt, download_location, state, "
            + "sha256, size_bytes, package_name, files_written, delivered_files, duplicate_of, failed_path, attempts, "
            + "http_status, last_error, created_at, updated_at, downloaded_at, delivered_at, acked_at, node_id";

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private volatile JournalListener listener = JournalListener.NONE;
    /** The runner recorded on each message it takes (rip.node.id). */
    private volatile String nodeId;

    public ExportJournal(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource, "Export journal");
    }

    /** The runner that records messages through this journal (rip.node.id). */
    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    /** Who is told about each change of a row's state (one listener; metrics). */
    public void setListener(JournalListener listener) {
        this.listener = listener == null ? JournalListener.NONE : listener;
    }

    private void changed(JournalListener.ExportChange change, long id) {
        JournalListener.safely(() -> listener.exportChanged(change, id));
    }

    /**
     * Records a message seen for the first time (state DEQUEUED, attempt 1) and returns its row id; empty when the job
     * has a row for it already (another runner was handed the same message at the same moment: the unique
     * job + CorrelationId index decides who takes it).
     */
    public OptionalLong open(String job, String activityId, String correlationId, String popReceipt,
                             String downloadLocation) {
        OptionalLong opened = insert(job, activityId, correlationId, popReceipt, downloadLocation);
        // told once the connection is back in the pool (a listener reading the row needs one of its own)
        opened.ifPresent(id -> changed(JournalListener.ExportChange.DEQUEUED, id));
        return opened;
    }

    private OptionalLong insert(String job, String activityId, String correlationId, String popReceipt,
                                String downloadLocation) {
        String sql = "INSERT INTO rip_export_journal (job, activity_id, correlation_id, pop_receipt, download_location, "
                + "state, files_written, attempts, created_at, updated_at, node_id) "
                + "VALUES (?, ?, ?, ?, ?, 'DEQUEUED', 0, 1, ?, ?, ?)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            LocalDateTime now = Jdbc.now();
            Jdbc.bind(ps, job, activityId, correlationId, popReceipt, cut(downloadLocation, 4000), now, now, nodeId);
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
            throw new JournalException("Cannot record export message " + correlationId + " of " + job, e);
        }
    }

    /**
     * D365 handed the message over again: counts the attempt and keeps the latest receipt. {@code restart} puts the row
     * back to DEQUEUED because the message is processed again (its earlier attempt did not settle it). Compare-and-set
     * on the row as the caller read it (attempt and state): false when another runner took this redelivery first.
     */
    public boolean redequeued(long id, int seenAttempts, ExportJournal.State seenState, String popReceipt,
                              String downloadLocation, boolean restart) {
        boolean won = jdbc.updateCount("UPDATE rip_export_journal SET attempts = attempts + 1, pop_receipt = ?, "
                + "download_location = ?, state = CASE WHEN ? THEN 'DEQUEUED' ELSE state END, node_id = ?, updated_at = ? "
                + "WHERE id = ? AND attempts = ? AND state = ?", popReceipt, cut(downloadLocation, 4000), restart,
                nodeId, Jdbc.now(), id, seenAttempts, seenState.name()) == 1;
        if (won) {
            changed(JournalListener.ExportChange.REDEQUEUED, id);
        }
        return won;
    }

    public Optional<ExportRecord> find(long id) {
        return query("SELECT " + COLUMNS + " FROM rip_export_journal WHERE id = ?", 1, id).stream().findFirst();
    }

    /** The job's row for this CorrelationId (canonical: lower case, no braces), if any. */
    public Optional<ExportRecord> byCorrelationId(String job, String correlationId) {
        return query("SELECT " + COLUMNS + " FROM rip_export_journal WHERE job = ? AND correlation_id = ?", 1,
                job, correlationId).stream().findFirst();
    }

    /**
     * The newest other row of this job whose package had the same SHA-256, was delivered (itself, not as a duplicate)
     * and was first seen after {@code since}: the fallback when D365 redelivers under a new CorrelationId.
     */
    public Optional<ExportRecord> deliveredContent(String job, String sha256, Instant since, long exceptId) {
        return query("SELECT " + COLUMNS + " FROM rip_export_journal WHERE job = ? AND sha256 = ? AND id <> ? "
                + "AND state IN ('DELIVERED', 'ACKED') AND duplicate_of IS NULL AND created_at >= ? ORDER BY id DESC", 1,
                job, sha256, exceptId, Jdbc.utc(since)).stream().findFirst();
    }

    /**
     * The job's newest row that is neither finished (ACKED) nor FAILED: for a package API export job, the execution a
     * poll carries on with (started, downloaded or delivered before the runner stopped) instead of starting another.
     */
    public Optional<ExportRecord> unfinished(String job) {
        return query("SELECT " + COLUMNS + " FROM rip_export_journal WHERE job = ? AND state IN ('DEQUEUED', "
                + "'DOWNLOADED', 'DELIVERED') ORDER BY id DESC", 1, job).stream().findFirst();
    }

    /** The job's rows, newest first. */
    public List<ExportRecord> recent(String job, int limit) {
        return query("SELECT " + COLUMNS + " FROM rip_export_journal WHERE job = ? ORDER BY id DESC", limit, job);
    }

    /** The package is on disk (temporary file): content hash, size and the name D365 gave it. */
    public void downloaded(long id, String sha256, long size, String packageName) {
        LocalDateTime now = Jdbc.now();
        update("UPDATE rip_export_journal SET state = 'DOWNLOADED', sha256 = ?, size_bytes = ?, package_name = ?, "
                + "duplicate_of = NULL, failed_path = NULL, downloaded_at = ?, updated_at = ? WHERE id = ?",
                sha256, size, cut(packageName, 1000), now, now, id);
        changed(JournalListener.ExportChange.DOWNLOADED, id);
    }

    /** Every file reached the target: from here on the message is only acked, never delivered again. */
    public void delivered(long id, List<String> fileNames) {
        LocalDateTime now = Jdbc.now();
        update("UPDATE rip_export_journal SET state = 'DELIVERED', files_written = ?, delivered_files = ?, "
                + "http_status = NULL, last_error = NULL, delivered_at = ?, updated_at = ? WHERE id = ?",
                fileNames.size(), Jdbc.text(String.join("\n", fileNames)), now, now, id);
        changed(JournalListener.ExportChange.DELIVERED, id);
    }

    /** The same content was delivered before as {@code duplicateOf}: settled without writing anything. */
    public void duplicate(long id, String duplicateOf) {
        LocalDateTime now = Jdbc.now();
        update("UPDATE rip_export_journal SET state = 'DELIVERED', files_written = 0, delivered_files = NULL, "
                + "duplicate_of = ?, delivered_at = ?, updated_at = ? WHERE id = ?", duplicateOf, now, now, id);
        changed(JournalListener.ExportChange.DUPLICATE, id);
    }

    /** D365 accepted the ack. A FAILED row (quarantined package) stays FAILED, with acked_at telling D365 was told. */
    public void acked(long id) {
        LocalDateTime now = Jdbc.now();
        update("UPDATE rip_export_journal SET state = CASE WHEN state = 'FAILED' THEN 'FAILED' ELSE 'ACKED' END, "
                + "acked_at = ?, updated_at = ? WHERE id = ?", now, now, id);
        changed(JournalListener.ExportChange.ACKED, id);
    }

    /** The message cannot be delivered as it is; {@code failedPath} is the quarantined package, null if there is none. */
    public void failed(long id, Integer httpStatus, String error, String failedPath) {
        update("UPDATE rip_export_journal SET state = 'FAILED', http_status = ?, last_error = ?, failed_path = ?, "
                + "updated_at = ? WHERE id = ?", httpStatus, Jdbc.text(error), failedPath, Jdbc.now(), id);
        changed(JournalListener.ExportChange.FAILED, id);
    }

    /** Remembers a (transient) problem without changing the state: the message stays with D365 and comes back. */
    public void problem(long id, Integer httpStatus, String error) {
        update("UPDATE rip_export_journal SET http_status = ?, last_error = ?, updated_at = ? WHERE id = ?",
                httpStatus, Jdbc.text(error), Jdbc.now(), id);
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private void update(String sql, Object... args) {
        jdbc.update(sql, args);
    }

    private List<ExportRecord> query(String sql, int limit, Object... args) {
        return jdbc.query(sql, limit, ExportRecord::from, args);
    }
}
