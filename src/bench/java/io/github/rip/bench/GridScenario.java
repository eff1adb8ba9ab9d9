package io.github.rip.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import io.github.rip.journal.Database;
import io.github.rip.journal.JournalGrid;
import io.github.rip.journal.JournalGrid.Filter;
import io.github.rip.journal.JournalSchema;
import io.github.rip.journal.PostgresCluster;

/**
 * The dashboard's grid queries (what {@code GET /api/jobs/{job}/messages} runs: {@link JournalGrid}) on a journal of
 * {@code --grid-rows} import rows and as many export rows of one job each (plus another job's), on H2 (a file, as the
 * runner keeps it) and PostgreSQL (the tests' throw-away cluster): the first page, one state, a text search with a
 * match and with none, and the deepest page. Each figure is the median of five runs after one warm-up run.
 */
final class GridScenario {

    private static final String JOB = "big";

    private GridScenario() {
    }

    static List<Table.Row> run(Bench.Context ctx) throws Exception {
        int rows = ctx.integer("grid-rows");
        List<Table.Row> table = new ArrayList<>();
        try (HikariDataSource h2 = Database.open("jdbc:h2:file:" + ctx.work.resolve("grid-h2/rip"), "rip", null)) {
            table.addAll(measure("H2", h2, rows));
        }
        try (PostgresCluster postgres = PostgresCluster.start()) {
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA grid");
            }
            try (HikariDataSource pg = Database.open(postgres.jdbcUrl() + "?currentSchema=grid", postgres.user(),
                    postgres.password())) {
                table.addAll(measure("PostgreSQL", pg, rows));
            }
        }
        return table;
    }

    private static List<Table.Row> measure(String db, HikariDataSource dataSource, int rows) throws Exception {
        JournalSchema.migrate(dataSource);
        long t0 = System.nanoTime();
        fill(dataSource, rows);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // PostgreSQL's autovacuum does this soon after a bulk of new rows; H2 keeps its statistics itself
            s.execute("ANALYZE" + (db.equals("H2") ? "" : " rip_import_journal"));
            if (!db.equals("H2")) {
                s.execute("ANALYZE rip_export_journal");
            }
        }
        System.out.printf("  %s: %,d import and %,d export rows written in %.1f s%n", db, rows, rows,
                (System.nanoTime() - t0) / 1e9);
        JournalGrid grid = new JournalGrid(dataSource);
        int deep = rows - 50;
        List<Table.Row> table = new ArrayList<>();
        table.add(row(dataSource, db, "imports, first page (50 of " + rows + ")", imports(grid, null, null, 0)));
        table.add(row(dataSource, db, "imports, state FAILED, first page", imports(grid, "FAILED", null, 0)));
        table.add(row(dataSource, db, "imports, text found in an error", imports(grid, null, "row " + (rows - 7) + ":",
                0)));
        table.add(row(dataSource, db, "imports, text matching nothing", imports(grid, null, "no-such-file", 0)));
        table.add(row(dataSource, db, "imports, text matching many (page 1, counted to the cap)", imports(grid, null,
                "orders-9", 0)));
        table.add(row(dataSource, db, "imports, deepest page (offset " + deep + ")", imports(grid, null, null, deep)));
        table.add(row(dataSource, db, "exports, first page", () -> grid.exports(JOB, new Filter(null, null, 0, 50))));
        table.add(row(dataSource, db, "exports, state ACKED, deepest page", () -> grid.exports(JOB,
                new Filter("ACKED", null, rows * 9 / 10 - 50, 50))));
        table.add(row(dataSource, db, "exports, text matching nothing", () -> grid.exports(JOB,
                new Filter(null, "no-such-package", 0, 50))));
        return table;
    }

    private static Supplier<JournalGrid.Page<?>> imports(JournalGrid grid, String state, String text, int offset) {
        return () -> grid.imports(JOB, new Filter(state, text, offset, 50));
    }

    private static Table.Row row(HikariDataSource dataSource, String db, String what,
                                 Supplier<JournalGrid.Page<?>> query) throws Exception {
        JournalGrid.Page<?> page = query.get();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // a running job writes its journal all the time; without a write H2 answers a repeated query from the
            // result it kept, and the figure would not be a search
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE rip_import_journal SET attempts = attempts + 1 WHERE job = 'other' AND id = "
                        + "(SELECT MAX(id) FROM rip_import_journal)");
                s.executeUpdate("UPDATE rip_export_journal SET attempts = attempts + 1 WHERE job = 'other' AND id = "
                        + "(SELECT MAX(id) FROM rip_export_journal)");
            }
            long start = System.nanoTime();
            page = query.get();
            ms.add((System.nanoTime() - start) / 1e6);
        }
        double median = Table.median(ms);
        System.out.printf("  %s, %s: %s ms (%d rows, total %d%s%s)%n", db, what, Table.spread(ms, "%.1f"),
                page.rows().size(), page.total(), page.totalCapped() ? "+" : "",
                page.searchLimited() ? ", text searched in the newest " + JournalGrid.TEXT_SEARCH_ROWS : "");
        return new Table.Row("grid, " + db + ": " + what + " (ms)", Table.spread(ms, "%.1f"), "–", Double.NaN,
                Table.Goal.AT_MOST, 100, true, median, "–");
    }

    /**
     * Import row i: every 10th FAILED with an error, every 50th ENQUEUED, the rest PROCESSED; export row i: every 10th
     * FAILED, the rest ACKED. One row a minute back from now, as a busy job's year would look.
     */
    private static void fill(HikariDataSource dataSource, int rows) throws Exception {
        Instant now = Instant.now();
        String imports = "INSERT INTO rip_import_journal (job, file_name, source_path, size_bytes, sha256, "
                + "activity_id, state, message_id, processed_dir, failed_dir, attempts, request_sent, "
                + "possible_duplicates, last_error, created_at, updated_at, enqueued_at, completed_at) "
                + "VALUES (?, ?, ?, 100, 'sha', 'act', ?, ?, '/p', '/f', 1, FALSE, 0, ?, ?, ?, ?, ?)";
        String exports = "INSERT INTO rip_export_journal (job, activity_id, correlation_id, state, sha256, size_bytes, "
                + "package_name, files_written, delivered_files, attempts, last_error, created_at, updated_at, "
                + "downloaded_at, delivered_at, acked_at) "
                + "VALUES (?, 'act', ?, ?, 'sha', 100, ?, 1, ?, 1, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement in = c.prepareStatement(imports);
             PreparedStatement out = c.prepareStatement(exports)) {
            c.setAutoCommit(false);
            for (int i = 1; i <= rows + 1_000; i++) {
                String job = i > rows ? "other" : JOB;
                Timestamp at = Timestamp.from(now.minus(Duration.ofMinutes(rows - i)));
                String state = i % 10 == 3 ? "FAILED" : i % 50 == 0 ? "ENQUEUED" : "PROCESSED";
                in.setString(1, job);
                in.setString(2, "orders-" + i + ".csv");
                in.setString(3, "/in/orders-" + i + ".csv");
                in.setString(4, state);
                in.setString(5, "msg-" + i);
                in.setString(6, state.equals("FAILED") ? "D365 refused row " + i + ": CUSTOMERGROUPID is empty"
                        : null);
                in.setTimestamp(7, at);
                in.setTimestamp(8, at);
                in.setTimestamp(9, at);
                in.setTimestamp(10, state.equals("ENQUEUED") ? null : at);
                in.addBatch();
                boolean failed = i % 10 == 3;
                out.setString(1, job);
                out.setString(2, "corr-" + i);
                out.setString(3, failed ? "FAILED" : "ACKED");
                out.setString(4, "package-" + i + ".zip");
                out.setString(5, failed ? null : "customer-groups-" + i + ".csv");
                out.setString(6, failed ? "The package of message corr-" + i + " is not a zip" : null);
                out.setTimestamp(7, at);
                out.setTimestamp(8, at);
                out.setTimestamp(9, at);
                out.setTimestamp(10, failed ? null : at);
                out.setTimestamp(11, at);
                out.addBatch();
                if (i % 1_000 == 0) {
                    in.executeBatch();
                    out.executeBatch();
                }
            }
            in.executeBatch();
            out.executeBatch();
            c.commit();
        }
    }
}
