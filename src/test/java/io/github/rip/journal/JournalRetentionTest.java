package io.github.rip.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.github.rip.importing.ImportJob;
import io.github.rip.journal.JournalRetention.Purged;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retention on H2 and PostgreSQL: finished rows and archived files older than the period go, counted per job; newer
 * ones, rows still in flight, inbox/, sent/, sub-folders and link targets stay.
 *
 * <p>Files cannot be made older than their status-change time (which counts as their arrival), so the purge runs on a
 * clock 100 days ahead (cutoff: 10 days from now); "new" files get a modification time after that cutoff.
 */
class JournalRetentionTest {

    enum Db { H2, POSTGRESQL }

    /** Runs a test once per database, named after it. */
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Db.class)
    @interface OnBothDatabases {
    }

    private static final int DAYS = 90;
    private static final Instant NOW = Instant.now().plus(Duration.ofDays(100)).truncatedTo(ChronoUnit.SECONDS);
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(DAYS));
    private static final Instant OLD = CUTOFF.minus(Duration.ofDays(1));
    private static final Instant NEW = CUTOFF.plus(Duration.ofDays(1));
    private static final Map<Db, HikariDataSource> DATA_SOURCES = new EnumMap<>(Db.class);
    private static PostgresCluster postgres;

    @TempDir
    static Path databases;
    @TempDir
    Path folder;

    @BeforeAll
    static void openDatabases() throws Exception {
        postgres = PostgresCluster.start();
        DATA_SOURCES.put(Db.H2, Database.open("jdbc:h2:file:" + databases.resolve("db/rip"), "rip", null));
        DATA_SOURCES.put(Db.POSTGRESQL, Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password()));
        DATA_SOURCES.values().forEach(JournalSchema::migrate);
    }

    @AfterAll
    static void closeDatabases() {
        DATA_SOURCES.values().forEach(HikariDataSource::close);
        DATA_SOURCES.clear();
        if (postgres != null) {
            postgres.close();
        }
    }

    @OnBothDatabases
    void finishedRowsOlderThanThePeriodArePurgedPerJob(Db db) throws Exception {
        DataSource dataSource = emptyJournal(db);
        ImportJournal imports = new ImportJournal(dataSource);
        long processedOld = finishedImport(dataSource, "orders", ImportJournal.State.PROCESSED, OLD);
        long failedOld = finishedImport(dataSource, "orders", ImportJournal.State.FAILED, OLD);
        long otherJobOld = finishedImport(dataSource, "vendors", ImportJournal.State.PROCESSED, OLD);
        long processedNew = finishedImport(dataSource, "orders", ImportJournal.State.PROCESSED, NEW);
        long enqueued = claim(imports, "orders");
        imports.enqueued(enqueued, "msg", "/in/orders/sent/x.csv");
        long claimed = claim(imports, "orders");
        ExportJournal exports = new ExportJournal(dataSource);
        long ackedOld = export(dataSource, "groups", "acked", OLD);
        long failedAckedOld = export(dataSource, "groups", "failed-acked", OLD);
        long failedNotAcked = export(dataSource, "groups", "failed", OLD);
        long deliveredOld = export(dataSource, "groups", "delivered", OLD);
        long ackedNew = export(dataSource, "groups", "acked", NEW);
        // every other time is old too, so only the finishing time can keep a row
        update(dataSource, "UPDATE rip_import_journal SET created_at = ?, updated_at = ?, enqueued_at = ?", OLD, OLD, OLD);
        update(dataSource, "UPDATE rip_export_journal SET created_at = ?, updated_at = ?, delivered_at = ?", OLD, OLD, OLD);

        Purged purged = retention(dataSource, Map.of()).purge();

        assertThat(purged.importRows()).containsExactlyInAnyOrderEntriesOf(Map.of("orders", 2, "vendors", 1));
        assertThat(purged.exportRows()).containsExactlyInAnyOrderEntriesOf(Map.of("groups", 2));
        for (long gone : List.of(processedOld, failedOld, otherJobOld)) {
            assertThat(imports.find(gone)).isEmpty();
        }
        for (long kept : List.of(processedNew, enqueued, claimed)) {
            assertThat(imports.find(kept)).isPresent();
        }
        assertThat(exports.find(ackedOld)).isEmpty();
        assertThat(exports.find(failedAckedOld)).isEmpty();
        for (long kept : List.of(failedNotAcked, deliveredOld, ackedNew)) {
            assertThat(exports.find(kept)).isPresent();
        }
        assertThat(retention(dataSource, Map.of()).purge().isEmpty()).isTrue();
    }

    @OnBothDatabases
    void archivedFilesOlderThanThePeriodArePurgedAndNothingElse(Db db) throws Exception {
        DataSource dataSource = emptyJournal(db);
        Path orders = jobFolder("orders");
        Path processed = orders.resolve("processed");
        Path failed = orders.resolve("failed");
        List<Path> gone = List.of(file(processed.resolve("a.csv"), null), file(processed.resolve("a.csv.report.txt"), null),
                file(failed.resolve("b.csv"), null), file(failed.resolve("b.csv.report.txt"), null),
                file(failed.resolve("c.csv.report.txt"), null)); // a report whose file never arrived
        Path outside = file(folder.resolve("elsewhere/target.csv"), null);
        Path link = Files.createSymbolicLink(failed.resolve("link.csv"), outside);
        List<Path> kept = List.of(file(processed.resolve("new.csv"), NEW),
                file(processed.resolve("new.csv.report.txt"), NEW),
                file(processed.resolve("d.csv"), null), file(processed.resolve("d.csv.report.txt"), NEW),
                file(failed.resolve("refused-folder/inside.csv"), null), file(orders.resolve("inbox/e.csv"), null),
                file(orders.resolve("sent/f.csv"), null), file(orders.resolve("sent/f.csv.overdue.report.txt"), null),
                file(orders.resolve("work/g.csv"), null), outside);
        // a job only the journal still knows (removed from routes/): its archive goes too
        Path removed = jobFolder("removed");
        Path removedFile = file(removed.resolve("processed/h.csv"), null);
        finishedImport(dataSource, "removed", ImportJournal.State.PROCESSED, NEW);
        // a processed/ that is a link is not followed; a folder not named processed or failed is refused
        Path linkedTarget = file(folder.resolve("archive-elsewhere/i.csv"), null);
        Path linked = jobFolder("linked");
        Files.delete(linked.resolve("processed"));
        Files.createSymbolicLink(linked.resolve("processed"), linkedTarget.getParent());
        Path linkedInbox = file(linked.resolve("inbox/e.csv"), null);
        Map<String, List<Path>> running = Map.of("orders", List.of(processed, failed),
                "linked", List.of(linked.resolve("processed"), linked.resolve("inbox")));

        Purged purged = retention(dataSource, running).purge();

        assertThat(purged.archivedFiles()).containsExactlyInAnyOrderEntriesOf(Map.of("orders", 6, "removed", 1));
        assertThat(gone).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(removedFile).doesNotExist();
        assertThat(kept).allSatisfy(p -> assertThat(p).exists());
        assertThat(linkedTarget).exists();
        assertThat(linkedInbox).exists();
    }

    @Test
    void aFileArchivedTodayIsKeptWhateverItsModificationTime() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"),
                "the status-change time is only read where the file system has one");
        Path orders = jobFolder("orders");
        Path written = file(orders.resolve("inbox/old.csv"), Instant.now().minus(Duration.ofDays(200)));
        Path archived = Files.move(written, orders.resolve("processed/old.csv")); // a move keeps the modification time

        Map<String, Integer> purged = new ArchivePurge(Instant.now().minus(Duration.ofDays(DAYS)))
                .purge(Map.of("orders", List.of(orders.resolve("processed"))));

        assertThat(purged).isEmpty();
        assertThat(archived).exists();
    }

    @OnBothDatabases
    void zeroDaysKeepsEverything(Db db) throws Exception {
        DataSource dataSource = emptyJournal(db);
        long row = finishedImport(dataSource, "orders", ImportJournal.State.PROCESSED, OLD);
        Path orders = jobFolder("orders");
        Path archived = file(orders.resolve("processed/a.csv"), null);

        Purged purged = new JournalRetention(dataSource, 0, () -> Map.of("orders", List.of(orders.resolve("processed"))),
                Clock.fixed(NOW, ZoneOffset.UTC)).purge();

        assertThat(purged.isEmpty()).isTrue();
        assertThat(new ImportJournal(dataSource).find(row)).isPresent();
        assertThat(archived).exists();
    }

    @Test
    void theRunningImportJobsAreFoundOnTheirRoutes() throws Exception {
        ImportJob job = new ImportJob();
        job.getSettings().setName("orders");
        job.getSettings().setJobFolder(folder.resolve("orders").toString());
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:orders").bean(job, "getName");
                }
            });
            context.start();

            assertThat(ImportArchiveFolders.running(context)).containsExactlyEntriesOf(Map.of("orders",
                    List.of(folder.resolve("orders/processed").toAbsolutePath(),
                            folder.resolve("orders/failed").toAbsolutePath())));
        }
    }

    private static JournalRetention retention(DataSource dataSource, Map<String, List<Path>> running) {
        return new JournalRetention(dataSource, DAYS, () -> running, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static DataSource emptyJournal(Db db) throws SQLException {
        DataSource dataSource = DATA_SOURCES.get(db);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM rip_import_journal");
            s.execute("DELETE FROM rip_export_journal");
        }
        return dataSource;
    }

    /** inbox/, sent/, processed/, failed/ and work/ of a job, as the runner makes them. */
    private Path jobFolder(String job) throws IOException {
        Path jobFolder = folder.resolve("import/" + job);
        for (String sub : List.of("inbox", "sent", "processed", "failed", "work")) {
            Files.createDirectories(jobFolder.resolve(sub));
        }
        return jobFolder;
    }

    /** A file written now; {@code modified} (when given) is set as its modification time. */
    private static Path file(Path path, Instant modified) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, path.getFileName().toString());
        if (modified != null) {
            Files.setLastModifiedTime(path, FileTime.from(modified));
        }
        return path;
    }

    private static long claim(ImportJournal journal, String job) {
        return journal.claim(job, "x.csv", "/in/" + job + "/inbox/x.csv", 1, null, "sha", "act",
                "/in/" + job + "/processed", "/in/" + job + "/failed").getAsLong();
    }

    private long finishedImport(DataSource dataSource, String job, ImportJournal.State state, Instant at) throws Exception {
        ImportJournal journal = new ImportJournal(dataSource);
        Path jobFolder = folder.resolve("import/" + job);
        long id = journal.claim(job, "x.csv", jobFolder.resolve("inbox/x.csv").toString(), 1, null, "sha", "act",
                jobFolder.resolve("processed").toString(), jobFolder.resolve("failed").toString()).getAsLong();
        if (state == ImportJournal.State.FAILED) {
            journal.failed(id, 400, "refused", jobFolder.resolve("failed/x.csv").toString());
        } else {
            journal.enqueued(id, "msg-" + id, jobFolder.resolve("sent/x.csv").toString());
            journal.completed(id, state, "Succeeded", "ok", jobFolder.resolve("processed/x.csv").toString());
        }
        update(dataSource, "UPDATE rip_import_journal SET completed_at = ? WHERE id = ?", at, id);
        return id;
    }

    private static long export(DataSource dataSource, String job, String fate, Instant at) throws SQLException {
        ExportJournal journal = new ExportJournal(dataSource);
        long id = journal.open(job, "act", "corr-" + fate + "-" + at.toEpochMilli(), "receipt", null).getAsLong();
        switch (fate) {
            case "acked" -> journal.acked(id);
            case "failed-acked" -> {
                journal.failed(id, null, "corrupt zip", "/out/failed/p.zip");
                journal.acked(id);
            }
            case "failed" -> journal.failed(id, null, "foreign host", null);
            default -> journal.delivered(id, List.of("a.csv"));
        }
        update(dataSource, "UPDATE rip_export_journal SET acked_at = CASE WHEN acked_at IS NULL THEN NULL ELSE ? END "
                + "WHERE id = ?", at, id);
        return id;
    }

    private static void update(DataSource dataSource, String sql, Object... args) throws SQLException {
        List<Object> values = new ArrayList<>();
        for (Object arg : args) {
            values.add(arg instanceof Instant instant ? Jdbc.utc(instant) : arg);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, values.toArray());
            ps.executeUpdate();
        }
    }
}
