package io.github.rip.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** One row of the export journal: one export message of one job, across all its redeliveries. */
public record ExportRecord(long id, String job, String activityId, String correlationId, String popReceipt,
                           String downloadLocation, ExportJournal.State state, String sha256, Long size,
                           String packageName, int filesWritten, String deliveredFiles, String duplicateOf,
                           String failedPath, int attempts, Integer httpStatus, String lastError, Instant createdAt,
                           Instant updatedAt, Instant downloadedAt, Instant deliveredAt, Instant ackedAt,
                           String nodeId) {

    /** The delivered file names, in delivery order. */
    public List<String> deliveredFileNames() {
        return deliveredFiles == null || deliveredFiles.isBlank() ? List.of() : deliveredFiles.lines().toList();
    }

    /** Whether the message's content is safely somewhere: delivered to the target, or quarantined in failed/. */
    public boolean isSettled() {
        return state == ExportJournal.State.DELIVERED || state == ExportJournal.State.ACKED
                || (state == ExportJournal.State.FAILED && failedPath != null);
    }

    static ExportRecord from(ResultSet rs) throws SQLException {
        Number http = (Number) rs.getObject("http_status");
        Number size = (Number) rs.getObject("size_bytes");
        return new ExportRecord(rs.getLong("id"), rs.getString("job"), rs.getString("activity_id"),
                rs.getString("correlation_id"), rs.getString("pop_receipt"), rs.getString("download_location"),
                ExportJournal.State.valueOf(rs.getString("state")), rs.getString("sha256"),
                size == null ? null : size.longValue(), rs.getString("package_name"), rs.getInt("files_written"),
                rs.getString("delivered_files"), rs.getString("duplicate_of"), rs.getString("failed_path"),
                rs.getInt("attempts"), http == null ? null : http.intValue(), rs.getString("last_error"),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "downloaded_at"),
                instant(rs, "delivered_at"), instant(rs, "acked_at"), rs.getString("node_id"));
    }

    /** Times are stored as UTC wall-clock time (see {@link Jdbc#utc}). */
    private static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }
}
