package io.github.rip.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.TimeZone;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.github.rip.journal.ImportJournal.State;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The import journal behaves identically on an H2 file database and on a real PostgreSQL 15. */
class ImportJournalTest {

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
        System.out.printf("PostgreSQL test cluster ready in %d ms (OS user '%s'): %s%n",
                postgres.startMillis(), postgres.osUser(), postgres.jdbcUrl());
        // the runner's default URL shape: jdbc:h2:file:<data dir>/db/rip (the folder does not exist yet)
        DATA_SOURCES.put(Db.H2, Database.open("jdbc:h2:file:" + folder.resolve("data/db/rip"), "rip", null));
        DATA_SOURCES.put(Db.POSTGRESQL, Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password()));
        for (DataSource dataSource : DATA_SOURCES.values()) {
            JournalSchema.migrate(dataSource);
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
    void schemaCreationIsIdempotentAndKeepsRows(Db db) throws Exception {
        ImportJournal journal = emptyJournal(db);
        long id = claim(journal, "orders", "a.csv", "sha-a");

        JournalSchema.migrate(DATA_SOURCES.get(db));
        JournalSchema.migrate(DATA_SOURCES.get(db));

        assertThat(journal.find(id)).get().extracting(ImportRecord::fileName).isEqualTo("a.csv");
        assertThat(count(db, "SELECT COUNT(*) FROM rip_import_journal")).isEqualTo(1);
    }

    @OnBothDatabases
    void aRowIsTheConnectorsUntilItsJobMarksItAsThePackageApis(Db db) {
        ImportJournal journal = emptyJournal(db);
        long connector = claim(journal, "orders", "a.csv", "sha-a");
        long packageApi = claim(journal, "master-data-api", "b.zip", "sha-b");

        journal.packageApi(packageApi);
        journal.enqueued(packageApi, "master-data-api-20261202150000-0a1b2c3d", "/in/sent/b.zip");

        assertThat(journal.find(connector).orElseThrow().d365Api()).isEqualTo(ImportJournal.CONNECTOR);
        ImportRecord row = journal.find(packageApi).orElseThrow();
        assertThat(row.isPackageApi()).isTrue();
        assertThat(row.messageId()).as("the execution id").isEqualTo("master-data-api-20261202150000-0a1b2c3d");
        assertThat(journal.dueForStatusCheck(10, Instant.now())).extracting(ImportRecord::id).containsExactly(packageApi);
    }

    @OnBothDatabases
    void aJobThatTakesTheCompanyPerFileKeepsSameNamedFilesOfTwoCompaniesApart(Db db) {
        ImportJournal journal = emptyJournal(db);
        Instant since = Instant.now().minus(1, ChronoUnit.DAYS);
        JournalCompany usmf = JournalCompany.of("USMF", true);
        JournalCompany demf = JournalCompany.of("DEMF", true);
        long toUsmf = journal.claim("orders", usmf, "a.csv", "/in/usmf/a.csv", 1, null, "sha", "act", "/p/usmf",
                "/f/usmf").getAsLong();

        // same name, other company: a second open claim, not the same file
        long toDemf = journal.claim("orders", demf, "a.csv", "/in/demf/a.csv", 1, null, "sha", "act", "/p/demf",
                "/f/demf").getAsLong();
        assertThat(journal.claim("orders", usmf, "a.csv", "/in/usmf/a.csv", 1, null, "sha", "act", "/p", "/f"))
                .as("the same company's file is claimed once").isEmpty();
        journal.enqueued(toUsmf, "msg-usmf", "/s/usmf/a.csv");

        assertThat(journal.latest("orders", usmf, "a.csv")).get().extracting(ImportRecord::id, ImportRecord::company)
                .containsExactly(toUsmf, "USMF");
        assertThat(journal.latest("orders", demf, "a.csv")).get().extracting(ImportRecord::id, ImportRecord::company)
                .containsExactly(toDemf, "DEMF");
        assertThat(journal.acceptedCopy("orders", usmf, "a.csv", "sha", since)).isPresent();
        assertThat(journal.acceptedCopy("orders", demf, "a.csv", "sha", since)).as("USMF's copy is no duplicate")
                .isEmpty();
        assertThat(journal.acceptedByName("orders", demf, "a.csv", since)).isFalse();
        // a job with one company for all files sees every row of the name, as before
        assertThat(journal.latest("orders", "a.csv")).get().extracting(ImportRecord::id).isEqualTo(toDemf);
        assertThat(journal.acceptedByName("orders", "a.csv", since)).isTrue();
    }

    @OnBothDatabases
    void claimStoresTheRowAndReturnsIncreasingIds(Db db) {
        ImportJournal journal = emptyJournal(db);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long first = journal.claim("orders", "a.csv", "/in/orders/inbox/a.csv", 1234L, null, "sha-a", "act-1",
                "/in/orders/processed", "/in/orders/failed").getAsLong();
        Instant after = Instant.now().plus(1, ChronoUnit.MICROS);
        long second = claim(journal, "orders", "b.csv", "sha-b");
        long third = claim(journal, "orders", "c.csv", "sha-c");

        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
        ImportRecord row = journal.find(first).orElseThrow();
        assertThat(row.id()).isEqualTo(first);
        assertThat(row.job()).isEqualTo("orders");
        assertThat(row.fileName()).isEqualTo("a.csv");
        assertThat(row.sourcePath()).isEqualTo("/in/orders/inbox/a.csv");
        assertThat(row.size()).isEqualTo(1234L);
        assertThat(row.sha256()).isEqualTo("sha-a");
        assertThat(row.activityId()).isEqualTo("act-1");
        assertThat(row.state()).isEqualTo(State.CLAIMED);
        assertThat(row.processedDir()).isEqualTo("/in/orders/processed");
        assertThat(row.failedDir()).isEqualTo("/in/orders/failed");
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.requestSent()).isFalse();
        assertThat(row.possibleDuplicates()).isZero();
        assertThat(row).extracting(ImportRecord::httpStatus, ImportRecord::messageId, ImportRecord::sentPath,
                ImportRecord::finalPath, ImportRecord::lastError, ImportRecord::d365State, ImportRecord::d365Summary,
                ImportRecord::retryAt, ImportRecord::enqueuedAt, ImportRecord::completedAt).containsOnlyNulls();
        assertThat(row.createdAt()).isBetween(before, after).isEqualTo(row.updatedAt());
        assertThat(journal.find(third + 1000)).isEmpty();
    }

    @OnBothDatabases
    void latestAndSameContentFindTheNewestMatchingRow(Db db) {
        ImportJournal journal = emptyJournal(db);
        Instant start = Instant.now().minusSeconds(60);
        long old = claim(journal, "orders", "a.csv", "sha-1");
        journal.failed(old, 400, "refused", "/failed/a.csv"); // only then may the name be claimed again
        long newer = claim(journal, "orders", "a.csv", "sha-2");
        long otherJob = claim(journal, "invoices", "a.csv", "sha-1");
        claim(journal, "orders", "b.csv", "sha-1");

        assertThat(journal.latest("orders", "a.csv")).get().extracting(ImportRecord::id).isEqualTo(newer);
        assertThat(journal.latest("invoices", "a.csv")).get().extracting(ImportRecord::id).isEqualTo(otherJob);
        assertThat(journal.latest("orders", "missing.csv")).isEmpty();
        assertThat(journal.sameContent("orders", "a.csv", "sha-1", start)).get().extracting(ImportRecord::id).isEqualTo(old);
        assertThat(journal.sameContent("orders", "a.csv", "sha-2", start)).get().extracting(ImportRecord::id).isEqualTo(newer);
        assertThat(journal.sameContent("orders", "a.csv", "sha-3", start)).isEmpty();
        assertThat(journal.sameContent("orders", "a.csv", "sha-1", Instant.now().plusSeconds(60))).isEmpty();
    }

    @OnBothDatabases
    void enqueuedListsOnlyEnqueuedRowsOldestFirstUpToTheLimit(Db db) {
        ImportJournal journal = emptyJournal(db);
        long claimed = claim(journal, "orders", "claimed.csv", "s");
        long[] enqueued = new long[3];
        for (int i = 0; i < enqueued.length; i++) {
            enqueued[i] = claim(journal, "orders", "e" + i + ".csv", "s");
            journal.enqueued(enqueued[i], "msg-" + i, "/sent/e" + i + ".csv");
        }
        long processed = claim(journal, "orders", "p.csv", "s");
        journal.enqueued(processed, "msg-p", "/sent/p.csv");
        journal.completed(processed, State.PROCESSED, "Processed", "ok", "/processed/p.csv");
        long failed = claim(journal, "orders", "f.csv", "s");
        journal.failed(failed, 400, "Bad request", "/failed/f.csv");

        assertThat(journal.enqueued(10)).extracting(ImportRecord::id).containsExactly(enqueued[0], enqueued[1], enqueued[2]);
        assertThat(journal.enqueued(2)).extracting(ImportRecord::messageId).containsExactly("msg-0", "msg-1");
        assertThat(journal.find(claimed)).get().extracting(ImportRecord::state).isEqualTo(State.CLAIMED);
        assertThat(count(db, "SELECT COUNT(*) FROM rip_import_journal WHERE state = 'ENQUEUED'")).isEqualTo(3);
    }

    @OnBothDatabases
    void retryAttemptCountsAPossibleDuplicateOnlyWhenTheRequestWentOut(Db db) {
        ImportJournal journal = emptyJournal(db);
        long id = claim(journal, "orders", "a.csv", "sha-1");
        journal.retryLater(id, 503, "Service unavailable", Instant.now().plusSeconds(30));

        assertThat(journal.retryAttempt(id, 1, 42L, null, "sha-2")).isTrue();
        ImportRecord quiet = journal.find(id).orElseThrow();
        assertThat(quiet.attempts()).isEqualTo(2);
        assertThat(quiet.possibleDuplicates()).isZero();
        assertThat(quiet.sha256()).isEqualTo("sha-2");
        assertThat(quiet.retryAt()).isNull();
        assertThat(quiet.state()).isEqualTo(State.CLAIMED);

        journal.requestSent(id);
        assertThat(journal.find(id)).get().extracting(ImportRecord::requestSent).isEqualTo(true);
        journal.retryAttempt(id, 2, 42L, null, "sha-2");
        journal.requestSent(id);
        journal.retryAttempt(id, 3, 42L, null, "sha-3");
        ImportRecord twice = journal.find(id).orElseThrow();
        assertThat(twice.attempts()).isEqualTo(4);
        assertThat(twice.possibleDuplicates()).isEqualTo(2);
        assertThat(twice.requestSent()).isFalse();
        assertThat(twice.sha256()).isEqualTo("sha-3");
    }

    @OnBothDatabases
    void enqueuedRecordsMessageAndSentPathAndClearsTheRequestFlag(Db db) {
        ImportJournal journal = emptyJournal(db);
        long id = claim(journal, "orders", "a.csv", "sha-1");
        journal.retryLater(id, null, "Connection refused", Instant.now().plusSeconds(30));
        journal.retryAttempt(id, 1, 42L, null, "sha-1");
        journal.requestSent(id);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);

        journal.enqueued(id, "9b1c6f1e-msg", "/in/orders/sent/a.csv");

        ImportRecord row = journal.find(id).orElseThrow();
        assertThat(row.state()).isEqualTo(State.ENQUEUED);
        assertThat(row.messageId()).isEqualTo("9b1c6f1e-msg");
        assertThat(row.sentPath()).isEqualTo("/in/orders/sent/a.csv");
        assertThat(row.requestSent()).isFalse();
        assertThat(row.httpStatus()).isEqualTo(200);
        assertThat(row.lastError()).isNull();
        assertThat(row.retryAt()).isNull();
        assertThat(row.enqueuedAt()).isAfterOrEqualTo(before).isEqualTo(row.updatedAt());
        assertThat(row.completedAt()).isNull();
    }

    @OnBothDatabases
    void retryLaterKeepsTheRowClaimedAndStoresStatusErrorAndTime(Db db) {
        ImportJournal journal = emptyJournal(db);
        long id = claim(journal, "orders", "a.csv", "sha-1");
        Instant retryAt = Instant.parse("2031-07-15T10:20:30.123456Z");

        journal.retryLater(id, 503, "Service unavailable", retryAt);
        ImportRecord withStatus = journal.find(id).orElseThrow();
        assertThat(withStatus.state()).isEqualTo(State.CLAIMED);
        assertThat(withStatus.httpStatus()).isEqualTo(503);
        assertThat(withStatus.lastError()).isEqualTo("Service unavailable");
        assertThat(withStatus.retryAt()).isEqualTo(retryAt);

        journal.retryLater(id, null, "Connection refused", retryAt.plusSeconds(60));
        ImportRecord noAnswer = journal.find(id).orElseThrow();
        assertThat(noAnswer.httpStatus()).isNull();
        assertThat(noAnswer.lastError()).isEqualTo("Connection refused");
        assertThat(noAnswer.retryAt()).isEqualTo(retryAt.plusSeconds(60));
        assertThat(noAnswer.attempts()).isEqualTo(1);
    }

    @OnBothDatabases
    void timesAreStoredAsUtcWhateverTheJvmTimeZone(Db db) throws SQLException {
        ImportJournal journal = emptyJournal(db);
        long first = claim(journal, "orders", "a.csv", "sha-1");
        long second = claim(journal, "orders", "b.csv", "sha-2");
        // 01:30 happens twice in New York that night: 05:30Z (EDT) and 06:30Z (EST)
        Instant edt = Instant.parse("2030-11-03T05:30:00.000001Z");
        Instant est = Instant.parse("2030-11-03T06:30:00.000001Z");
        TimeZone jvmZone = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
            journal.retryLater(first, 503, "busy", edt);
            journal.retryLater(second, 503, "busy", est);
            assertThat(journal.find(first).orElseThrow().retryAt()).isEqualTo(edt);
            assertThat(journal.find(second).orElseThrow().retryAt()).isEqualTo(est);
        } finally {
            TimeZone.setDefault(jvmZone);
        }
        try (Connection c = DATA_SOURCES.get(db).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT retry_at FROM rip_import_journal WHERE id = " + second)) {
            rs.next();
            assertThat(rs.getObject(1, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2030-11-03T06:30:00.000001"));
        }
        assertThat(journal.find(second).orElseThrow().retryAt()).isEqualTo(est);
    }

    @OnBothDatabases
    void failedIsTerminalWithOrWithoutAnHttpStatus(Db db) {
        ImportJournal journal = emptyJournal(db);
        long rejected = claim(journal, "orders", "a.csv", "sha-1");
        long broken = claim(journal, "orders", "b.zip", "sha-2");
        journal.retryLater(rejected, 503, "busy", Instant.now().plusSeconds(30));

        journal.failed(rejected, 400, "Bad request: unknown entity", "/in/orders/failed/a.csv");
        journal.failed(broken, null, "Broken package: no Manifest.xml", "/in/orders/failed/b.zip");

        ImportRecord a = journal.find(rejected).orElseThrow();
        assertThat(a.state()).isEqualTo(State.FAILED);
        assertThat(a.httpStatus()).isEqualTo(400);
        assertThat(a.lastError()).isEqualTo("Bad request: unknown entity");
        assertThat(a.finalPath()).isEqualTo("/in/orders/failed/a.csv");
        assertThat(a.retryAt()).isNull();
        assertThat(a.completedAt()).isNotNull().isEqualTo(a.updatedAt());
        ImportRecord b = journal.find(broken).orElseThrow();
        assertThat(b.state()).isEqualTo(State.FAILED);
        assertThat(b.httpStatus()).isNull();
        assertThat(b.lastError()).isEqualTo("Broken package: no Manifest.xml");
    }

    @OnBothDatabases
    void statusProblemAndCompletedFollowTheMessageToItsEnd(Db db) {
        ImportJournal journal = emptyJournal(db);
        long ok = claim(journal, "orders", "a.csv", "sha-1");
        long bad = claim(journal, "orders", "b.csv", "sha-2");
        journal.enqueued(ok, "msg-a", "/sent/a.csv");
        journal.enqueued(bad, "msg-b", "/sent/b.csv");

        journal.statusProblem(ok, 500, "Status check failed: 500", "Queued");
        ImportRecord problem = journal.find(ok).orElseThrow();
        assertThat(problem.state()).isEqualTo(State.ENQUEUED);
        assertThat(problem.httpStatus()).isEqualTo(500);
        assertThat(problem.lastError()).isEqualTo("Status check failed: 500");
        assertThat(problem.d365State()).isEqualTo("Queued");
        // what the status monitor records for a state that is not terminal yet
        journal.statusProblem(ok, null, null, "InProcess");
        ImportRecord waiting = journal.find(ok).orElseThrow();
        assertThat(waiting.httpStatus()).isNull();
        assertThat(waiting.lastError()).isNull();
        assertThat(waiting.d365State()).isEqualTo("InProcess");

        journal.completed(ok, State.PROCESSED, "Processed", "Customers: 10 created", "/processed/a.csv");
        journal.completed(bad, State.FAILED, "ProcessedWithErrors", "Customers: 2 errors", "/failed/b.csv");

        ImportRecord done = journal.find(ok).orElseThrow();
        assertThat(done.state()).isEqualTo(State.PROCESSED);
        assertThat(done.d365State()).isEqualTo("Processed");
        assertThat(done.d365Summary()).isEqualTo("Customers: 10 created");
        assertThat(done.finalPath()).isEqualTo("/processed/a.csv");
        assertThat(done.messageId()).isEqualTo("msg-a");
        assertThat(done.completedAt()).isNotNull().isAfterOrEqualTo(done.enqueuedAt());
        ImportRecord errors = journal.find(bad).orElseThrow();
        assertThat(errors.state()).isEqualTo(State.FAILED);
        assertThat(errors.d365State()).isEqualTo("ProcessedWithErrors");
        assertThat(journal.enqueued(10)).isEmpty();
    }

    @OnBothDatabases
    void longAndAwkwardTextIsStoredWithinVarchar8000(Db db) {
        ImportJournal journal = emptyJournal(db);
        long id = claim(journal, "orders", "a.csv", "sha-1");
        String exact = "x".repeat(8000);
        journal.retryLater(id, 502, exact, Instant.now());
        assertThat(journal.find(id).orElseThrow().lastError()).isEqualTo(exact);

        String huge = "Bad gateway: " + "<html>".repeat(5000);
        journal.failed(id, 502, huge, "/failed/a.csv");
        String stored = journal.find(id).orElseThrow().lastError();
        assertThat(stored).hasSizeLessThanOrEqualTo(8000).startsWith("Bad gateway: <html>").endsWith(" [...]");

        // 9001 UTF-16 chars whose cut at 7994 falls inside a surrogate pair: the pair is kept whole or dropped
        String emoji = "!" + "\uD83D\uDE00".repeat(4500);
        long enqueued = claim(journal, "orders", "b.csv", "sha-2");
        journal.enqueued(enqueued, "msg-b", "/sent/b.csv");
        journal.completed(enqueued, State.FAILED, "Failed", emoji, "/failed/b.csv");
        String summary = journal.find(enqueued).orElseThrow().d365Summary();
        assertThat(summary).hasSize(7999).startsWith("!\uD83D\uDE00").endsWith("\uD83D\uDE00 [...]");
        assertThat(summary.codePoints().noneMatch(cp -> Character.getType(cp) == Character.SURROGATE)).isTrue();

        // an HTTP body may hold NUL characters: PostgreSQL text cannot, so both databases store a replacement
        journal.statusProblem(id, 500, "binary\u0000body", null);
        assertThat(journal.find(id).orElseThrow().lastError()).isEqualTo("binary\uFFFDbody");
    }

    @OnBothDatabases
    void theStatusMonitorChecksTheLeastRecentlyCheckedMessagesFirst(Db db) {
        ImportJournal journal = emptyJournal(db);
        long first = claim(journal, "orders", "a.csv", "sha-a");
        long second = claim(journal, "orders", "b.csv", "sha-b");
        journal.enqueued(first, "m-a", "/sent/a.csv");
        journal.enqueued(second, "m-b", "/sent/b.csv");
        assertThat(journal.enqueued(1)).extracting(ImportRecord::id).containsExactly(first);

        journal.statusChecked(first, "InProcess");
        assertThat(journal.enqueued(1)).extracting(ImportRecord::id).containsExactly(second);
        journal.statusChecked(second, null);
        assertThat(journal.enqueued(2)).extracting(ImportRecord::id).containsExactly(first, second);
        assertThat(journal.find(first).orElseThrow().d365State()).isEqualTo("InProcess");
        assertThat(journal.find(second).orElseThrow().d365State()).isNull();
    }

    private static ImportJournal emptyJournal(Db db) {
        DataSource dataSource = DATA_SOURCES.get(db);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM rip_import_journal");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new ImportJournal(dataSource);
    }

    private static long claim(ImportJournal journal, String job, String fileName, String sha256) {
        return journal.claim(job, fileName, "/in/" + job + "/inbox/" + fileName, 42L, null, sha256, "act-" + fileName,
                "/in/" + job + "/processed", "/in/" + job + "/failed").getAsLong();
    }

    private static long count(Db db, String sql) {
        try (Connection c = DATA_SOURCES.get(db).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
