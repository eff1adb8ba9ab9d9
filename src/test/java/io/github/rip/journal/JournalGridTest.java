package io.github.rip.journal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import io.github.rip.journal.JournalGrid.Filter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's journal queries on a journal of 100,000 rows of one job (plus another job's), on H2 and PostgreSQL:
 * the right rows, newest first, filtered and paged, and the 24-hour counts. Each query's time is printed (the median
 * of five runs) and written down in docs/architecture.md; nothing here asserts a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalGridTest {

    enum Db { H2, POSTGRESQL }

    private static final int ROWS = 100_000;
    private static final String JOB = "big";
    // whole milliseconds: stored exactly by both databases, so the row exactly 24 hours old is counted on both
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    @TempDir
    static Path folder;

    private PostgresCluster postgres;
    private final Map<Db, HikariDataSource> databases = new EnumMap<>(Db.class);

    @BeforeAll
    void fill() throws Exception {
        postgres = PostgresCluster.start();
        databases.put(Db.H2, Database.open("jdbc:h2:file:" + folder.resolve("grid/rip"), "rip", null));
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA grid");
        }
        databases.put(Db.POSTGRESQL, Database.open(postgres.jdbcUrl() + "?currentSchema=grid", postgres.user(),
                postgres.password()));
        for (HikariDataSource dataSource : databases.values()) {
            JournalSchema.migrate(dataSource);
            insert(dataSource);
        }
        // what PostgreSQL's autovacuum does soon after a bulk of new rows: statistics for the planner
        try (Connection c = databases.get(Db.POSTGRESQL).getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE rip_import_journal");
        }
    }

    @AfterAll
    void close() {
        databases.values().forEach(HikariDataSource::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * Row i (1-based) of the big job: i % 10 == 3 FAILED with an error, every 50th ENQUEUED, the 100 newest CLAIMED,
     * the rest PROCESSED; one row a minute back from now, so the newest 1,441 fall in the last 24 hours (both ends).
     */
    private static void insert(HikariDataSource dataSource) throws Exception {
        String sql = "INSERT INTO rip_import_journal (job, file_name, source_path, size_bytes, sha256, activity_id, "
                + "state, message_id, processed_dir, failed_dir, attempts, request_sent, possible_duplicates, last_error, "
                + "created_at, updated_at, enqueued_at, completed_at) VALUES (?, ?, ?, 100, 'sha', 'act', ?, ?, '/p', "
                + "'/f', 1, FALSE, 0, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            for (int i = 1; i <= ROWS + 1_000; i++) {
                boolean other = i > ROWS;
                String state = !other && i > ROWS - 100 ? "CLAIMED" : i % 10 == 3 ? "FAILED" : i % 50 == 0
                        ? "ENQUEUED" : "PROCESSED";
                LocalDateTime at = LocalDateTime.ofInstant(NOW.minus(Duration.ofMinutes(ROWS - i)), ZoneOffset.UTC);
                boolean finished = state.equals("PROCESSED") || state.equals("FAILED");
                Jdbc.bind(ps, other ? "other" : JOB, "orders-" + i + (i == 94_242 ? "-100%_done" : "") + ".csv",
                        "/in/orders-" + i + ".csv", state, state.equals("CLAIMED") ? null : "msg-" + i,
                        state.equals("FAILED") ? "D365 refused row " + i + ": CUSTOMERGROUPID is empty" : null, at, at,
                        state.equals("CLAIMED") ? null : at, finished ? at : null);
                ps.addBatch();
                if (i % 1_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Db.class)
    void aJobsNewestRowsComeFirstAndEveryPageIsTheNextOne(Db db) {
        JournalGrid grid = new JournalGrid(databases.get(db));

        JournalGrid.Page<ImportRecord> first = time(db, "newest 50 of 100,000", () ->
                grid.imports(JOB, new Filter(null, null, 0, 50)));
        JournalGrid.Page<ImportRecord> deep = time(db, "page 2,000 (offset 99,950)", () ->
                grid.imports(JOB, new Filter(null, null, 99_950, 50)));

        assertThat(first.rows()).extracting(ImportRecord::id).first().isEqualTo((long) ROWS);
        assertThat(first.rows()).hasSize(50).allMatch(r -> r.job().equals(JOB));
        assertThat(first.total()).isEqualTo(JournalGrid.COUNT_CAP);
        assertThat(first.totalCapped()).isTrue();
        assertThat(deep.rows()).extracting(ImportRecord::id).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 50).map(i -> 51 - i).boxed().toList());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Db.class)
    void rowsAreFilteredByStateAndByTextInNamesIdsAndErrors(Db db) {
        JournalGrid grid = new JournalGrid(databases.get(db));

        JournalGrid.Page<ImportRecord> failed = time(db, "state FAILED, newest 50", () ->
                grid.imports(JOB, new Filter("FAILED", null, 0, 50)));
        JournalGrid.Page<ImportRecord> byError = time(db, "text 'row 99893:' (in errors)", () ->
                grid.imports(JOB, new Filter(null, "ROW 99893:", 0, 50)));
        JournalGrid.Page<ImportRecord> noMatch = time(db, "text matching nothing (reads every row)", () ->
                grid.imports(JOB, new Filter(null, "no-such-file", 0, 50)));
        JournalGrid.Page<ImportRecord> literal = time(db, "text '100%_' (LIKE characters as text)", () ->
                grid.imports(JOB, new Filter(null, "100%_", 0, 50)));

        assertThat(failed.rows()).hasSize(50).allMatch(r -> r.state() == ImportJournal.State.FAILED);
        assertThat(failed.total()).isEqualTo(9_990); // i % 10 == 3 up to ROWS - 100
        assertThat(failed.totalCapped()).isFalse();
        assertThat(byError.rows()).extracting(ImportRecord::id).containsExactly(99_893L);
        assertThat(noMatch.rows()).isEmpty();
        assertThat(noMatch.total()).isZero();
        assertThat(noMatch.searchLimited()).isTrue();
        assertThat(failed.searchLimited()).isFalse();
        assertThat(literal.rows()).extracting(ImportRecord::fileName).containsExactly("orders-94242-100%_done.csv");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Db.class)
    void textIsLookedForInTheJobsNewestRowsOnly(Db db) {
        JournalGrid grid = new JournalGrid(databases.get(db));
        int oldest = ROWS - JournalGrid.TEXT_SEARCH_ROWS + 1;

        JournalGrid.Page<ImportRecord> newestSearched = grid.imports(JOB, new Filter(null, "orders-" + oldest + ".", 0,
                50));
        JournalGrid.Page<ImportRecord> older = grid.imports(JOB, new Filter(null, "orders-" + (oldest - 1) + ".", 0,
                50));
        JournalGrid.Page<ImportRecord> otherJob = grid.imports("other", new Filter(null, "orders-", 0, 50));

        assertThat(newestSearched.rows()).extracting(ImportRecord::id).containsExactly((long) oldest);
        assertThat(older.rows()).isEmpty();
        assertThat(older.searchLimited()).isTrue();
        assertThat(otherJob.rows()).hasSize(50); // 1,000 rows: all of them searched
        assertThat(otherJob.searchLimited()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Db.class)
    void theLast24HoursAreCountedPerJob(Db db) {
        JournalGrid grid = new JournalGrid(databases.get(db));
        Instant since = NOW.minus(Duration.ofHours(24));

        JournalGrid.ImportCounts counts = time(db, "24-hour counts of all jobs", () -> grid.importCounts(since)).get(JOB);

        // rows ROWS-1440 .. ROWS are inside the window (the oldest exactly 24 hours old)
        List<Integer> window = new ArrayList<>();
        for (int i = ROWS - 1440; i <= ROWS; i++) {
            window.add(i);
        }
        long claimed = window.stream().filter(i -> i > ROWS - 100).count();
        long failed = window.stream().filter(i -> i <= ROWS - 100 && i % 10 == 3).count();
        long enqueuedNow = window.stream().filter(i -> i <= ROWS - 100 && i % 50 == 0).count();
        assertThat(counts.taken()).isEqualTo(window.size());
        assertThat(counts.enqueued()).isEqualTo(window.size() - claimed);
        assertThat(counts.failed()).isEqualTo(failed);
        assertThat(counts.processed()).isEqualTo(window.size() - claimed - failed - enqueuedNow);
        assertThat(counts.inD365()).isEqualTo((ROWS - 100) / 50); // whenever enqueued
        assertThat(time(db, "last success (newest PROCESSED)", () -> grid.lastImportSuccess(JOB))).isPresent();
    }

    /** Runs the query six times and prints the median of the last five (the first warms caches and plans). */
    private static <T> T time(Db db, String what, Supplier<T> query) {
        T result = query.get();
        long[] nanos = new long[5];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            result = query.get();
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("journal grid, %s, %s: %.1f ms%n", db, what, nanos[2] / 1e6);
        return result;
    }
}
