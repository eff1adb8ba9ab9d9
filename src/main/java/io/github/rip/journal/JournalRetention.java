package io.github.rip.journal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges what finished more than {@code rip.retention.days} ago (route journal-retention.camel.yaml): journal rows in a
 * final state and the import jobs' archived files in processed/ and failed/ ({@link ArchivePurge}); one INFO line
 * counts them per job. Rows still in flight (CLAIMED, ENQUEUED; exports not acked) are kept whatever their age: the
 * runner still acts on them. Export deliveries, inbox/, sent/ and work/ are never touched.
 */
public class JournalRetention {

    /** Import rows: D365's verdict is in (or the file was rejected), and the file is archived. */
    private static final String IMPORT_FINISHED = "state IN ('PROCESSED', 'FAILED') "
            + "AND COALESCE(completed_at, updated_at) < ?";
    /** Export rows: D365 was told (acked), so it never offers the message again; a FAILED row not acked still counts. */
    private static final String EXPORT_FINISHED = "(state = 'ACKED' OR (state = 'FAILED' AND acked_at IS NOT NULL)) "
            + "AND COALESCE(acked_at, updated_at) < ?";

    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

    /** What one purge removed, per job (jobs without anything to purge are left out). */
    public record Purged(Instant cutoff, Map<String, Integer> importRows, Map<String, Integer> archivedFiles,
                         Map<String, Integer> exportRows) {

        public boolean isEmpty() {
            return importRows.isEmpty() && archivedFiles.isEmpty() && exportRows.isEmpty();
        }
    }

    private final DataSource dataSource;
    private final int days;
    private final Supplier<Map<String, List<Path>>> runningImportJobs;
    private final Clock clock;
    private final Jdbc jdbc;

    /**
     * @param days              how old a finished row or archived file must be to go; 0 keeps everything
     * @param runningImportJobs the running import jobs' archive folders by job name ({@link ImportArchiveFolders});
     *                          folders recorded in the journal are added, so a job removed from routes/ is purged too
     */
    public JournalRetention(DataSource dataSource, int days, Supplier<Map<String, List<Path>>> runningImportJobs) {
        this(dataSource, days, runningImportJobs, Clock.systemUTC());
    }

    JournalRetention(DataSource dataSource, int days, Supplier<Map<String, List<Path>>> runningImportJobs, Clock clock) {
        if (days < 0) {
            throw new IllegalArgumentException("rip.retention.days must be 0 (keep forever) or a number of days, not "
                    + days);
        }
        this.dataSource = dataSource;
        this.days = days;
        this.runningImportJobs = runningImportJobs;
        this.clock = clock;
        this.jdbc = new Jdbc(dataSource, "Journal retention");
    }

    /** Deletes what finished before now minus the retention period and logs the counts; nothing when days is 0. */
    public Purged purge() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS);
        if (days == 0) {
            LOG.debug("Journal retention is off (rip.retention.days = 0)");
            return new Purged(cutoff, Map.of(), Map.of(), Map.of());
        }
        // folders first: the journal's record of a job's folders goes with its last rows
        Map<String, Set<Path>> folders = archiveFolders();
        Map<String, Integer> files = new ArchivePurge(cutoff).purge(folders);
        Map<String, Integer> importRows = deleteRows("rip_import_journal", IMPORT_FINISHED, cutoff);
        Map<String, Integer> exportRows = deleteRows("rip_export_journal", EXPORT_FINISHED, cutoff);
        Purged purged = new Purged(cutoff, importRows, files, exportRows);
        LOG.info("Journal retention ({} days, finished before {}): {}", days, cutoff, summary(purged));
        return purged;
    }

    /** The running import jobs' folders plus those the journal recorded, by job name. */
    private Map<String, Set<Path>> archiveFolders() {
        Map<String, Set<Path>> folders = new TreeMap<>();
        runningImportJobs.get().forEach((job, paths) -> folders.computeIfAbsent(job, j -> new TreeSet<>()).addAll(paths));
        jdbc.query("SELECT DISTINCT job, processed_dir, failed_dir FROM rip_import_journal", Integer.MAX_VALUE, rs -> {
            Set<Path> jobFolders = folders.computeIfAbsent(rs.getString(1), j -> new TreeSet<>());
            jobFolders.add(Path.of(rs.getString(2)));
            jobFolders.add(Path.of(rs.getString(3)));
            return null;
        });
        return folders;
    }

    /** One DELETE per job, so the counts are exactly what went. */
    private Map<String, Integer> deleteRows(String table, String finished, Instant cutoff) {
        List<String> jobs = jdbc.query("SELECT DISTINCT job FROM " + table + " WHERE " + finished, Integer.MAX_VALUE,
                rs -> rs.getString(1), Jdbc.utc(cutoff));
        Map<String, Integer> deleted = new TreeMap<>();
        for (String job : jobs) {
            int count = delete("DELETE FROM " + table + " WHERE job = ? AND " + finished, job, Jdbc.utc(cutoff));
            if (count > 0) {
                deleted.put(job, count);
            }
        }
        return deleted;
    }

    private int delete(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalException("Journal retention failed: " + sql, e);
        }
    }

    private static String summary(Purged purged) {
        if (purged.isEmpty()) {
            return "nothing to purge";
        }
        List<String> parts = new ArrayList<>();
        Set<String> importJobs = new TreeSet<>(purged.importRows().keySet());
        importJobs.addAll(purged.archivedFiles().keySet());
        for (String job : importJobs) {
            parts.add("import " + job + ": " + purged.importRows().getOrDefault(job, 0) + " journal rows, "
                    + purged.archivedFiles().getOrDefault(job, 0) + " archived files");
        }
        purged.exportRows().forEach((job, rows) -> parts.add("export " + job + ": " + rows + " journal rows"));
        return String.join("; ", parts);
    }
}
