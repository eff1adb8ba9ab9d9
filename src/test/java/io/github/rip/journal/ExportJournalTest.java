package io.github.rip.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.github.rip.journal.ExportJournal.State;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The export journal behaves identically on an H2 file database and on a real PostgreSQL 15. */
class ExportJournalTest {

    enum Db { H2, POSTGRESQL }

    /** Runs a test once per database, named after it. */
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Db.class)
    @interface OnBothDatabases {
    }

    private static final Map<Db, HikariDataSource> DATA_SOURCES = new EnumMap<>(Db.class);
    private static PostgresCluster postgres;

    @TempDir
    static Path folder;

    @BeforeAll
    static void openDatabases() throws Exception {
        postgres = PostgresCluster.start();
        DATA_SOURCES.put(Db.H2, Database.open("jdbc:h2:file:" + folder.resolve("data/db/rip"), "rip", null));
        DATA_SOURCES.put(Db.POSTGRESQL, Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password()));
        for (DataSource dataSource : DATA_SOURCES.values()) {
            JournalSchema.migrate(dataSource);
            JournalSchema.migrate(dataSource); // idempotent, as on every start
        }
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
    void openStoresANewDequeuedRow(Db db) {
        ExportJournal journal = emptyJournal(db);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long id = journal.open("groups", "act-1", "corr-1", "receipt-1", "https://d365/api/connector/download/x").getAsLong();

        ExportRecord row = journal.find(id).orElseThrow();
        assertThat(row).extracting(ExportRecord::job, ExportRecord::activityId, ExportRecord::correlationId,
                ExportRecord::popReceipt, ExportRecord::downloadLocation, ExportRecord::state, ExportRecord::attempts,
                ExportRecord::filesWritten).containsExactly("groups", "act-1", "corr-1", "receipt-1",
                "https://d365/api/connector/download/x", State.DEQUEUED, 1, 0);
        assertThat(row).extracting(ExportRecord::sha256, ExportRecord::size, ExportRecord::packageName,
                ExportRecord::deliveredFiles, ExportRecord::duplicateOf, ExportRecord::failedPath,
                ExportRecord::httpStatus, ExportRecord::lastError, ExportRecord::downloadedAt,
                ExportRecord::deliveredAt, ExportRecord::ackedAt).containsOnlyNulls();
        assertThat(row.createdAt()).isAfterOrEqualTo(before).isEqualTo(row.updatedAt());
        assertThat(row.isSettled()).isFalse();
        assertThat(journal.byCorrelationId("groups", "corr-1")).get().extracting(ExportRecord::id).isEqualTo(id);
        assertThat(journal.byCorrelationId("other-job", "corr-1")).isEmpty();
    }

    @OnBothDatabases
    void aCorrelationIdIsUniquePerJob(Db db) {
        ExportJournal journal = emptyJournal(db);
        journal.open("groups", "act-1", "corr-1", "r1", null);
        long otherJob = journal.open("vendors", "act-2", "corr-1", "r1", null).getAsLong();

        assertThat(journal.find(otherJob)).isPresent();
        // a second runner handed the same message: no second row, the first runner's stays the only one
        assertThat(journal.open("groups", "act-1", "corr-1", "r2", null)).isEmpty();
    }

    @OnBothDatabases
    void theHappyPathEndsAckedWithFilesAndTimes(Db db) {
        ExportJournal journal = emptyJournal(db);
        long id = journal.open("groups", "act-1", "corr-1", "r1", "loc").getAsLong();

        journal.downloaded(id, "ab".repeat(32), 12345L, "Customer groups.zip");
        ExportRecord downloaded = journal.find(id).orElseThrow();
        assertThat(downloaded.state()).isEqualTo(State.DOWNLOADED);
        assertThat(downloaded.sha256()).isEqualTo("ab".repeat(32));
        assertThat(downloaded.size()).isEqualTo(12345L);
        assertThat(downloaded.packageName()).isEqualTo("Customer groups.zip");
        assertThat(downloaded.downloadedAt()).isNotNull();

        journal.problem(id, 503, "Target unreachable");
        journal.delivered(id, List.of("a.csv", "b.csv"));
        ExportRecord delivered = journal.find(id).orElseThrow();
        assertThat(delivered.state()).isEqualTo(State.DELIVERED);
        assertThat(delivered.filesWritten()).isEqualTo(2);
        assertThat(delivered.deliveredFileNames()).containsExactly("a.csv", "b.csv");
        assertThat(delivered.lastError()).isNull();
        assertThat(delivered.httpStatus()).isNull();
        assertThat(delivered.isSettled()).isTrue();

        journal.acked(id);
        ExportRecord acked = journal.find(id).orElseThrow();
        assertThat(acked.state()).isEqualTo(State.ACKED);
        assertThat(acked.ackedAt()).isNotNull().isAfterOrEqualTo(acked.deliveredAt());
    }

    @OnBothDatabases
    void aRedeliveryCountsTheAttemptKeepsTheLatestReceiptAndRestartsOnlyWhenAsked(Db db) {
        ExportJournal journal = emptyJournal(db);
        long id = journal.open("groups", "act-1", "corr-1", "r1", "loc-1").getAsLong();
        journal.downloaded(id, "sha", 1L, "p.zip");
        journal.delivered(id, List.of("p.zip"));

        assertThat(journal.redequeued(id, 1, State.DELIVERED, "r2", "loc-2", false)).isTrue();
        ExportRecord kept = journal.find(id).orElseThrow();
        assertThat(kept.attempts()).isEqualTo(2);
        assertThat(kept.popReceipt()).isEqualTo("r2");
        assertThat(kept.downloadLocation()).isEqualTo("loc-2");
        assertThat(kept.state()).isEqualTo(State.DELIVERED);

        assertThat(journal.redequeued(id, 2, State.DELIVERED, "r3", "loc-3", true)).isTrue();
        ExportRecord restarted = journal.find(id).orElseThrow();
        assertThat(restarted.attempts()).isEqualTo(3);
        assertThat(restarted.state()).isEqualTo(State.DEQUEUED);
    }

    @OnBothDatabases
    void deliveredContentFindsTheNewestOriginalDeliveryOfTheSamePackage(Db db) {
        ExportJournal journal = emptyJournal(db);
        Instant start = Instant.now().minusSeconds(60);
        long first = journal.open("groups", "a", "corr-1", "r", null).getAsLong();
        journal.downloaded(first, "sha-x", 1L, null);
        journal.delivered(first, List.of("x"));
        long onlyDownloaded = journal.open("groups", "a", "corr-2", "r", null).getAsLong();
        journal.downloaded(onlyDownloaded, "sha-x", 1L, null);
        long duplicate = journal.open("groups", "a", "corr-3", "r", null).getAsLong();
        journal.downloaded(duplicate, "sha-x", 1L, null);
        journal.duplicate(duplicate, "corr-1");
        long otherJob = journal.open("vendors", "a", "corr-9", "r", null).getAsLong();
        journal.downloaded(otherJob, "sha-x", 1L, null);
        journal.delivered(otherJob, List.of("y"));

        assertThat(journal.deliveredContent("groups", "sha-x", start, onlyDownloaded)).get()
                .extracting(ExportRecord::id).isEqualTo(first);
        assertThat(journal.deliveredContent("groups", "sha-x", start, first)).isEmpty();
        assertThat(journal.deliveredContent("groups", "sha-y", start, onlyDownloaded)).isEmpty();
        assertThat(journal.deliveredContent("groups", "sha-x", Instant.now().plusSeconds(60), onlyDownloaded)).isEmpty();

        ExportRecord dup = journal.find(duplicate).orElseThrow();
        assertThat(dup.state()).isEqualTo(State.DELIVERED);
        assertThat(dup.duplicateOf()).isEqualTo("corr-1");
        assertThat(dup.filesWritten()).isZero();
    }

    @OnBothDatabases
    void failedKeepsTheQuarantineAndAnAckAfterwardsKeepsItFailed(Db db) {
        ExportJournal journal = emptyJournal(db);
        long noFile = journal.open("groups", "a", "corr-1", "r", null).getAsLong();
        long quarantined = journal.open("groups", "a", "corr-2", "r", "loc").getAsLong();
        journal.downloaded(quarantined, "sha", 10L, "evil.zip");

        journal.failed(noFile, null, "D365 has no file for this message", null);
        journal.failed(quarantined, null, "Entry '../x' escapes the package folder", "/export/failed/evil.zip");
        journal.acked(quarantined);

        ExportRecord a = journal.find(noFile).orElseThrow();
        assertThat(a.state()).isEqualTo(State.FAILED);
        assertThat(a.failedPath()).isNull();
        assertThat(a.isSettled()).as("no file yet: processed again when D365 offers it again").isFalse();
        ExportRecord b = journal.find(quarantined).orElseThrow();
        assertThat(b.state()).isEqualTo(State.FAILED);
        assertThat(b.failedPath()).isEqualTo("/export/failed/evil.zip");
        assertThat(b.ackedAt()).isNotNull();
        assertThat(b.isSettled()).isTrue();
        assertThat(b.lastError()).contains("escapes");
    }

    @OnBothDatabases
    void recentListsTheJobsRowsNewestFirst(Db db) {
        ExportJournal journal = emptyJournal(db);
        long one = journal.open("groups", "a", "c1", "r", null).getAsLong();
        long two = journal.open("groups", "a", "c2", "r", null).getAsLong();
        journal.open("vendors", "a", "c3", "r", null);
        long three = journal.open("groups", "a", "c4", "r", null).getAsLong();

        assertThat(journal.recent("groups", 10)).extracting(ExportRecord::id).containsExactly(three, two, one);
        assertThat(journal.recent("groups", 2)).extracting(ExportRecord::id).containsExactly(three, two);
    }

    @OnBothDatabases
    void longErrorsAndManyFileNamesFitTheColumns(Db db) {
        ExportJournal journal = emptyJournal(db);
        long id = journal.open("groups", "a", "c1", "r", "https://d365/" + "x".repeat(5000)).getAsLong();
        journal.problem(id, 502, "Bad gateway: " + "<html>".repeat(5000) + "\u0000");
        List<String> names = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "file-" + i + ".csv").toList();
        journal.delivered(id, names);
        journal.problem(id, 500, "nul\u0000inside");

        ExportRecord row = journal.find(id).orElseThrow();
        assertThat(row.downloadLocation()).hasSize(4000);
        assertThat(row.filesWritten()).isEqualTo(2000);
        assertThat(row.deliveredFiles()).hasSizeLessThanOrEqualTo(8000).startsWith("file-0.csv\n").endsWith(" [...]");
        assertThat(row.lastError()).isEqualTo("nul\uFFFDinside");
    }

    private static ExportJournal emptyJournal(Db db) {
        DataSource dataSource = DATA_SOURCES.get(db);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM rip_export_journal");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new ExportJournal(dataSource);
    }
}
