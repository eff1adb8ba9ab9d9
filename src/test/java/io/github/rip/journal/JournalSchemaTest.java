package io.github.rip.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.github.rip.journal.JournalSchema.Migration;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The journal's versioned migrations on H2 and PostgreSQL 15: a new journal, a 0.1.0 journal with rows (upgraded in
 * place), a journal of the last unversioned schema.sql (V2's columns already there), and a schema shared with others.
 */
class JournalSchemaTest {

    enum Db { H2, POSTGRESQL }

    /** Runs a test once per database, named after it. */
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Db.class)
    @interface OnBothDatabases {
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 8, 30, 15);
    private static PostgresCluster postgres;

    @TempDir
    static Path folder;

    private final List<HikariDataSource> opened = new ArrayList<>();

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresCluster.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(HikariDataSource::close);
    }

    @OnBothDatabases
    void aNewJournalGetsEveryMigration(Db db) {
        DataSource dataSource = emptyDatabase(db);

        Migration migration = JournalSchema.migrate(dataSource);

        assertThat(migration).extracting(Migration::from, Migration::to, Migration::applied).containsExactly(null, "6", 6);
        assertThat(history(dataSource)).containsExactly(tuple("1", "SQL", true), tuple("2", "SQL", true),
                tuple("3", "SQL", true), tuple("4", "SQL", true),
                tuple("5", "SQL", true), tuple("6", "SQL", true));
        Instant modified = Instant.parse("2026-03-01T08:00:00Z");
        long id = new ImportJournal(dataSource).claim("orders", "a.csv", "/in/a.csv", 3, modified, "sha", "act",
                "/in/processed", "/in/failed").getAsLong();
        assertThat(new ImportJournal(dataSource).find(id)).get().extracting(ImportRecord::sourceModified)
                .isEqualTo(modified);
        assertThat(new ExportJournal(dataSource).open("groups", "act", "corr", "receipt", null)).isPresent();
    }

    @OnBothDatabases
    void aJournalOfRelease010IsUpgradedInPlaceWithItsRows(Db db) throws Exception {
        DataSource dataSource = emptyDatabase(db);
        runScript(dataSource, "schema-0.1.0.sql");
        long processed = insertImportRow(dataSource, "PROCESSED", false);
        long enqueued = insertImportRow(dataSource, "ENQUEUED", false);
        long exported = insertExportRow(dataSource);

        Migration migration = JournalSchema.migrate(dataSource);

        assertThat(migration).extracting(Migration::from, Migration::to, Migration::applied).containsExactly("1", "6", 5);
        assertThat(history(dataSource)).containsExactly(tuple("1", "BASELINE", true), tuple("2", "SQL", true),
                tuple("3", "SQL", true), tuple("4", "SQL", true),
                tuple("5", "SQL", true), tuple("6", "SQL", true));
        ImportJournal imports = new ImportJournal(dataSource);
        ImportRecord row = imports.find(processed).orElseThrow();
        assertThat(row).extracting(ImportRecord::job, ImportRecord::fileName, ImportRecord::sourcePath, ImportRecord::size,
                ImportRecord::sha256, ImportRecord::state, ImportRecord::messageId, ImportRecord::finalPath,
                ImportRecord::attempts, ImportRecord::possibleDuplicates, ImportRecord::httpStatus,
                ImportRecord::d365Summary)
                .containsExactly("orders", "a-PROCESSED.csv", "/in/orders/inbox/a.csv", 1234L, "sha-PROCESSED",
                        ImportJournal.State.PROCESSED, "msg-PROCESSED", "/in/orders/processed/a.csv", 2, 1, 200,
                        "Customer groups: 10 created");
        assertThat(row.completedAt()).isEqualTo(T0.plusMinutes(5).toInstant(ZoneOffset.UTC));
        // the new columns are there, empty for old rows, and the runner writes them
        assertThat(row).extracting(ImportRecord::sourceModified, ImportRecord::externalId, ImportRecord::overdueAt,
                ImportRecord::company)
                .containsOnlyNulls();
        assertThat(row.d365Api()).as("rows from before the package API are connector rows").isEqualTo("connector");
        imports.overdue(enqueued, Instant.parse("2026-03-02T08:00:00Z"));
        imports.externalId(enqueued, "a%C3%A9.csv");
        assertThat(imports.find(enqueued)).get().extracting(ImportRecord::overdueAt, ImportRecord::externalId)
                .containsExactly(Instant.parse("2026-03-02T08:00:00Z"), "a%C3%A9.csv");
        assertThat(imports.dueForStatusCheck(10, Instant.now())).extracting(ImportRecord::id).containsExactly(enqueued);
        ExportRecord export = new ExportJournal(dataSource).find(exported).orElseThrow();
        assertThat(export).extracting(ExportRecord::correlationId, ExportRecord::state, ExportRecord::deliveredFiles,
                ExportRecord::ackedAt).containsExactly("corr-1", ExportJournal.State.ACKED, "a.csv\nb.csv",
                T0.plusMinutes(2).toInstant(ZoneOffset.UTC));

        // every later start finds it up to date
        assertThat(JournalSchema.migrate(dataSource)).extracting(Migration::from, Migration::to, Migration::applied)
                .containsExactly("6", "6", 0);
        assertThat(count(dataSource, "rip_import_journal")).isEqualTo(2);
        assertThat(count(dataSource, "rip_export_journal")).isEqualTo(1);
    }

    @OnBothDatabases
    void aJournalOfTheLastUnversionedSchemaStartsCleanly(Db db) throws Exception {
        DataSource dataSource = emptyDatabase(db);
        runScript(dataSource, "schema-before-migrations.sql");
        long id = insertImportRow(dataSource, "ENQUEUED", true);

        Migration migration = JournalSchema.migrate(dataSource);

        assertThat(migration).extracting(Migration::from, Migration::to, Migration::applied).containsExactly("1", "6", 5);
        assertThat(history(dataSource)).containsExactly(tuple("1", "BASELINE", true), tuple("2", "SQL", true),
                tuple("3", "SQL", true), tuple("4", "SQL", true),
                tuple("5", "SQL", true), tuple("6", "SQL", true));
        assertThat(new ImportJournal(dataSource).find(id)).get()
                .extracting(ImportRecord::sourceModified, ImportRecord::externalId, ImportRecord::overdueAt)
                .containsExactly(T0.minusDays(1).toInstant(ZoneOffset.UTC), "a-ext.csv",
                        T0.plusHours(25).toInstant(ZoneOffset.UTC));
    }

    @OnBothDatabases
    void aSchemaSharedWithOtherTablesGetsTheWholeJournal(Db db) throws Exception {
        DataSource dataSource = emptyDatabase(db);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE other_application (id INT PRIMARY KEY)");
        }

        Migration migration = JournalSchema.migrate(dataSource);

        assertThat(migration).extracting(Migration::from, Migration::to, Migration::applied).containsExactly(null, "6", 6);
        assertThat(history(dataSource)).containsExactly(tuple("0", "BASELINE", true), tuple("1", "SQL", true),
                tuple("2", "SQL", true), tuple("3", "SQL", true), tuple("4", "SQL", true),
                tuple("5", "SQL", true), tuple("6", "SQL", true));
        assertThat(count(dataSource, "rip_import_journal")).isZero();
    }

    @Test
    void theLoggedLocationHasNoPassword() {
        assertThat(JournalSchema.withoutPassword("jdbc:postgresql://db:5432/rip?user=rip&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/rip?user=rip&password=***&ssl=true");
        assertThat(JournalSchema.withoutPassword("jdbc:h2:file:/data/db/rip;PASSWORD=s3cret;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:file:/data/db/rip;PASSWORD=***;WRITE_DELAY=0");
    }

    /** A new empty database: an H2 file, or a schema of its own in the PostgreSQL cluster's database. */
    private HikariDataSource emptyDatabase(Db db) {
        String name = "journal" + DATABASES.incrementAndGet();
        try {
            HikariDataSource dataSource;
            if (db == Db.H2) {
                dataSource = Database.open("jdbc:h2:file:" + folder.resolve(name + "/rip"), "rip", null);
            } else {
                try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                     Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA " + name);
                }
                dataSource = Database.open(postgres.jdbcUrl() + "?currentSchema=" + name, postgres.user(),
                        postgres.password());
            }
            opened.add(dataSource);
            return dataSource;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an old schema.sql as the runner of that version did: comment lines out, then one statement per ';'. */
    private static void runScript(DataSource dataSource, String resource) throws IOException, SQLException {
        String script;
        try (InputStream in = JournalSchemaTest.class.getResourceAsStream("/journal/" + resource)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String sql = script.lines().filter(l -> !l.trim().startsWith("--")).collect(Collectors.joining("\n"));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String part : sql.split(";")) {
                if (!part.isBlank()) {
                    s.execute(part.trim());
                }
            }
        }
    }

    /** A row with every 0.1.0 column filled; {@code newColumns} fills the three later ones too. */
    private static long insertImportRow(DataSource dataSource, String state, boolean newColumns) throws SQLException {
        String sql = "INSERT INTO rip_import_journal (job, file_name, source_path, size_bytes, sha256, activity_id, state, "
                + "message_id, sent_path, processed_dir, failed_dir, final_path, attempts, request_sent, "
                + "possible_duplicates, retry_at, http_status, last_error, d365_state, d365_summary, created_at, "
                + "updated_at, enqueued_at, completed_at, status_checked_at"
                + (newColumns ? ", source_modified, external_id, overdue_at" : "") + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + (newColumns ? ", ?, ?, ?" : "") + ")";
        boolean done = "PROCESSED".equals(state);
        List<Object> values = new ArrayList<>(List.of("orders", "a-" + state + ".csv", "/in/orders/inbox/a.csv", 1234L,
                "sha-" + state, "act-1", state, "msg-" + state, "/in/orders/sent/a.csv", "/in/orders/processed",
                "/in/orders/failed"));
        values.addAll(Arrays.asList(done ? "/in/orders/processed/a.csv" : null, 2, false, 1, null, 200,
                "earlier 503", done ? "Succeeded" : "Executing", done ? "Customer groups: 10 created" : null, T0, T0,
                T0.plusMinutes(1), done ? T0.plusMinutes(5) : null, T0.plusMinutes(2)));
        if (newColumns) {
            values.addAll(List.of(T0.minusDays(1), "a-ext.csv", T0.plusHours(25)));
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            Jdbc.bind(ps, values.toArray());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static long insertExportRow(DataSource dataSource) throws SQLException {
        String sql = "INSERT INTO rip_export_journal (job, activity_id, correlation_id, pop_receipt, download_location, "
                + "state, sha256, size_bytes, package_name, files_written, delivered_files, attempts, created_at, "
                + "updated_at, downloaded_at, delivered_at, acked_at) VALUES (?, ?, ?, ?, ?, 'ACKED', ?, ?, ?, 2, ?, 1, "
                + "?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            Jdbc.bind(ps, "groups", "act-2", "corr-1", "receipt", "https://d365/download/1", "sha-x", 99L, "p.zip",
                    "a.csv\nb.csv", T0, T0.plusMinutes(2), T0, T0.plusMinutes(1), T0.plusMinutes(2));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Flyway's history of versions (its columns are quoted lower case on both databases): version, type, success. On
     * H2 Flyway also records the history table's creation (type TABLE, no version), which says nothing about versions.
     */
    private static List<Tuple> history(DataSource dataSource) {
        List<Tuple> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"type\", \"success\" FROM \"" + JournalSchema.HISTORY_TABLE
                     + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                rows.add(tuple(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static long count(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
