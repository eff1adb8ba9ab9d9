package io.github.rip.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** One row of the import journal ({@code company}: the legal entity the file was sent to, null if none). */
public record ImportRecord(long id, String job, String fileName, String sourcePath, long size, String sha256,
                           String activityId, ImportJournal.State state, String messageId, String sentPath,
                           String processedDir, String failedDir, String finalPath, int attempts, boolean requestSent,
                           int possibleDuplicates, Instant retryAt, Integer httpStatus, String lastError,
                           String d365State, String d365Summary, Instant createdAt, Instant updatedAt,
                           Instant enqueuedAt, Instant completedAt, Instant sourceModified, String externalId,
                           Instant overdueAt, String nodeId, String d365Api, String company) {

    /** Whether the row was imported through the data management package API (its message id is an execution id). */
    public boolean isPackageApi() {
        return ImportJournal.PACKAGE_API.equals(d365Api);
    }

    static ImportRecord from(ResultSet rs) throws SQLException {
        Number http = (Number) rs.getObject("http_status");
        return new ImportRecord(rs.getLong("id"), rs.getString("job"), rs.getString("file_name"),
                rs.getString("source_path"), rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("activity_id"),
                ImportJournal.State.valueOf(rs.getString("state")), rs.getString("message_id"), rs.getString("sent_path"),
                rs.getString("processed_dir"), rs.getString("failed_dir"), rs.getString("final_path"), rs.getInt("attempts"),
                rs.getBoolean("request_sent"), rs.getInt("possible_duplicates"), instant(rs, "retry_at"),
                http == null ? null : http.intValue(), rs.getString("last_error"), rs.getString("d365_state"),
                rs.getString("d365_summary"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "enqueued_at"), instant(rs, "completed_at"), instant(rs, "source_modified"),
                rs.getString("external_id"), instant(rs, "overdue_at"), rs.getString("node_id"),
                rs.getString("d365_api"), rs.getString("company"));
    }

    /** Times are stored as UTC wall-clock time (see {@link Jdbc#utc}). */
    private static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }
}
