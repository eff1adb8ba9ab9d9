package io.github.rip.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The journal as the operations dashboard reads it: a job's rows newest first (filtered by state and text, paged), and
 * the last 24 hours per job. Read-only; the indexes these queries need are migration V3's. Measured on H2 and
 * PostgreSQL with 100,000 rows of one job by the benchmark's grid scenario: docs/performance.md ("Dashboard grid").
 */
public final class JournalGrid {

    /** Totals are counted up to here: a text filter has to read every row of the job to count them all. */
    public static final int COUNT_CAP = 10_000;
    /**
     * A text search looks at a job's newest this many rows. No index serves "contains" on five columns in both H2 and
     * PostgreSQL, so a search reads the rows it looks at: all 100,000 of a busy job took 130-500 ms on H2
     * (docs/performance.md, "Dashboard grid"); the newest 10,000 stay well under 100 ms. Older rows are still found
     * by state and by paging.
     */
    public static final int TEXT_SEARCH_ROWS = 10_000;

    /** What to show: one state or all (null), a text to look for in names, ids and errors (or null), which page. */
    public record Filter(String state, String text, int offset, int limit) {
    }

    /**
     * One page of rows, and how many rows match ({@code totalCapped}: at least that many); {@code searchLimited}: the
     * text was looked for in the job's newest {@link #TEXT_SEARCH_ROWS} rows only, the job has older ones.
     */
    public record Page<T>(List<T> rows, long total, boolean totalCapped, boolean searchLimited) {
    }

    /** An import job's last 24 hours; {@code lastSuccess} is its newest PROCESSED file (in the window only). */
    public record ImportCounts(long taken, long enqueued, long processed, long failed, long inD365,
                               Instant lastSuccess) {
    }

    /** An export job's last 24 hours; {@code lastSuccess} is its newest acknowledged message (in the window only). */
    public record ExportCounts(long dequeued, long delivered, long acked, long failed, Instant lastSuccess) {
    }

    /** A file waiting in its inbox after a transient failure: the job cannot get files through right now. */
    public record Waiting(long id, String fileName, String error, Instant since, Instant retryAt) {
    }

    private static final String IMPORT_TEXT = "(LOWER(file_name) LIKE ? ESCAPE '\\' OR LOWER(message_id) LIKE ? "
            + "ESCAPE '\\' OR LOWER(external_id) LIKE ? ESCAPE '\\' OR LOWER(d365_state) LIKE ? ESCAPE '\\' "
            + "OR LOWER(last_error) LIKE ? ESCAPE '\\' OR LOWER(company) LIKE ? ESCAPE '\\')";
    private static final String EXPORT_TEXT = "(LOWER(correlation_id) LIKE ? ESCAPE '\\' OR LOWER(package_name) LIKE ? "
            + "ESCAPE '\\' OR LOWER(delivered_files) LIKE ? ESCAPE '\\' OR LOWER(last_error) LIKE ? ESCAPE '\\')";

    /**
     * A job's rows newest first, in the order of the (job, id) index. "ORDER BY id DESC" alone means the same for one
     * job, but H2 then reads the job's rows through whichever index starts with job (it took (job, file_name)) and
     * sorts all of them: 200-1,700 ms a page for 100,000 rows, against 1-25 ms when the index gives the order
     * (docs/performance.md, "Dashboard grid"). PostgreSQL reads the same index backwards either way.
     */
    private static final String NEWEST_FIRST = " ORDER BY job DESC, id DESC";

    private final Jdbc jdbc;

    public JournalGrid(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "Journal grid");
    }

    /** A job's import rows, newest first. */
    public Page<ImportRecord> imports(String job, Filter filter) {
        return page("rip_import_journal", ImportJournal.COLUMNS, IMPORT_TEXT, 6, ImportRecord::from, job, filter);
    }

    /** A job's export rows, newest first. */
    public Page<ExportRecord> exports(String job, Filter filter) {
        return page("rip_export_journal", ExportJournal.COLUMNS, EXPORT_TEXT, 4, ExportRecord::from, job, filter);
    }

    private <T> Page<T> page(String table, String columns, String textCondition, int textColumns,
                             Jdbc.RowMapper<T> mapper, String job, Filter filter) {
        StringBuilder where = new StringBuilder(" WHERE job = ?");
        List<Object> args = new ArrayList<>(List.of(job));
        if (filter.state() != null) {
            where.append(" AND state = ?");
            args.add(filter.state());
        }
        boolean searchLimited = false;
        if (filter.text() != null && !filter.text().isBlank()) {
            // the oldest row of the job's newest TEXT_SEARCH_ROWS (the (job, id) index finds it): the search reads
            // from there on only
            List<Long> oldest = jdbc.query("SELECT id FROM " + table + " WHERE job = ?" + NEWEST_FIRST
                    + " LIMIT 1 OFFSET ?", 1, rs -> rs.getLong(1), job, TEXT_SEARCH_ROWS);
            if (!oldest.isEmpty()) {
                searchLimited = true;
                where.append(" AND id > ?");
                args.add(oldest.get(0));
            }
            where.append(" AND ").append(textCondition);
            String pattern = "%" + likeEscaped(filter.text().strip().toLowerCase(Locale.ROOT)) + "%";
            for (int i = 0; i < textColumns; i++) {
                args.add(pattern);
            }
        }
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(filter.limit());
        pageArgs.add(filter.offset());
        List<T> rows = jdbc.query("SELECT " + columns + " FROM " + table + where + NEWEST_FIRST + " LIMIT ? OFFSET ?",
                filter.limit(), mapper, pageArgs.toArray());
        long total;
        if (filter.offset() == 0 && rows.size() < filter.limit()) {
            total = rows.size(); // the whole result is on this page: no second query
        } else {
            args.add(COUNT_CAP + 1);
            total = jdbc.query("SELECT COUNT(*) FROM (SELECT 1 FROM " + table + where + " LIMIT ?) capped", 1,
                    rs -> rs.getLong(1), args.toArray()).get(0);
        }
        return new Page<>(rows, Math.min(total, COUNT_CAP), total > COUNT_CAP, searchLimited);
    }

    /** Per import job: files taken, enqueued, processed and failed since {@code since}, and messages in D365 now. */
    public Map<String, ImportCounts> importCounts(Instant since) {
        Object t = Jdbc.utc(since);
        Map<String, ImportCounts> counts = new LinkedHashMap<>();
        jdbc.query("SELECT job, SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN enqueued_at >= ? THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN state = 'PROCESSED' AND completed_at >= ? THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN state = 'FAILED' AND completed_at >= ? THEN 1 ELSE 0 END), "
                + "MAX(CASE WHEN state = 'PROCESSED' THEN completed_at END) "
                + "FROM rip_import_journal WHERE updated_at >= ? GROUP BY job", Integer.MAX_VALUE,
                rs -> counts.put(rs.getString(1), new ImportCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), 0, Jdbc.instant(rs, 6))), t, t, t, t, t);
        // in D365 right now, whenever enqueued (the state index finds them)
        jdbc.query("SELECT job, COUNT(*) FROM rip_import_journal WHERE state = 'ENQUEUED' GROUP BY job",
                Integer.MAX_VALUE, rs -> counts.merge(rs.getString(1), new ImportCounts(0, 0, 0, 0, rs.getLong(2), null),
                        (window, now) -> new ImportCounts(window.taken(), window.enqueued(), window.processed(),
                                window.failed(), now.inD365(), window.lastSuccess())));
        return counts;
    }

    /** Per export job: messages dequeued, delivered, acknowledged and failed since {@code since}. */
    public Map<String, ExportCounts> exportCounts(Instant since) {
        Object t = Jdbc.utc(since);
        Map<String, ExportCounts> counts = new LinkedHashMap<>();
        jdbc.query("SELECT job, SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN delivered_at >= ? THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN acked_at >= ? THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END), MAX(acked_at) "
                + "FROM rip_export_journal WHERE updated_at >= ? GROUP BY job", Integer.MAX_VALUE,
                rs -> counts.put(rs.getString(1), new ExportCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), Jdbc.instant(rs, 6))), t, t, t, t);
        return counts;
    }

    /** The newest PROCESSED file of an import job, whenever that was. */
    public Optional<Instant> lastImportSuccess(String job) {
        return jdbc.query("SELECT completed_at FROM rip_import_journal WHERE job = ? AND state = 'PROCESSED' "
                + "ORDER BY id DESC LIMIT 1", 1, rs -> Jdbc.instant(rs, 1), job).stream().findFirst();
    }

    /** The newest acknowledged message of an export job, whenever that was. */
    public Optional<Instant> lastExportSuccess(String job) {
        return jdbc.query("SELECT acked_at FROM rip_export_journal WHERE job = ? AND state = 'ACKED' "
                + "ORDER BY id DESC LIMIT 1", 1, rs -> Jdbc.instant(rs, 1), job).stream().findFirst();
    }

    /** Per import job, its most recent file waiting in the inbox after a transient failure (D365 or network down). */
    public Map<String, Waiting> waitingAfterFailure() {
        Map<String, Waiting> waiting = new LinkedHashMap<>();
        jdbc.query("SELECT job, id, file_name, last_error, updated_at, retry_at FROM rip_import_journal "
                + "WHERE state = 'CLAIMED' AND retry_at IS NOT NULL ORDER BY updated_at", Integer.MAX_VALUE,
                rs -> waiting.put(rs.getString("job"), waiting(rs)));
        return waiting;
    }

    private static Waiting waiting(ResultSet rs) throws SQLException {
        return new Waiting(rs.getLong("id"), rs.getString("file_name"), rs.getString("last_error"),
                Jdbc.instant(rs, "updated_at"), Jdbc.instant(rs, "retry_at"));
    }

    /** The text as a LIKE pattern's literal part: its own % and _ (and the escape character) match only themselves. */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
