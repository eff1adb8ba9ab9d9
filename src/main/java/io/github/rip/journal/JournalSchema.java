package io.github.rip.journal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the journal's schema to the version this runner needs, in place, on every start: the versioned migrations in
 * {@code db/migration} (one folder, portable SQL for H2 2.x and PostgreSQL 15), applied by Flyway.
 *
 * <p>Journals made before the migrations existed have the tables but no history: they were created by the 0.1.0
 * {@code schema.sql} (= V1) or by a later snapshot of it that already had some of V2's columns. Both are recorded as
 * version 1 (baseline) and then get V2, whose {@code ADD COLUMN IF NOT EXISTS} tolerates columns already there.
 */
public final class JournalSchema {

    /** Not Flyway's default name: a PostgreSQL schema shared with another Flyway-managed application keeps both apart. */
    static final String HISTORY_TABLE = "rip_schema_history";
    static final String LOCATION = "classpath:db/migration";
    /** The table every journal version has: its presence without a history means a journal from before migrations. */
    private static final String JOURNAL_TABLE = "rip_import_journal";

    private static final Logger LOG = LoggerFactory.getLogger(JournalSchema.class);

    /** Where the journal is and how it got to its version; {@code from} is null for a new journal. */
    public record Migration(String location, String from, String to, int applied) {
    }

    private JournalSchema() {
    }

    /** Applies the pending migrations and logs the journal's location and schema version. */
    public static Migration migrate(DataSource dataSource) {
        String location;
        boolean versioned;
        boolean unversionedJournal;
        try (Connection connection = dataSource.getConnection()) {
            location = withoutPassword(connection.getMetaData().getURL());
            versioned = hasTable(connection, HISTORY_TABLE);
            unversionedJournal = !versioned && hasTable(connection, JOURNAL_TABLE);
        } catch (SQLException e) {
            throw new JournalException("Cannot open the journal database: " + e.getMessage(), e);
        }
        Flyway flyway = Flyway.configure(JournalSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // Only used when there is no history yet and the schema is not empty. Without a journal there, the
                // schema holds someone else's tables (a shared PostgreSQL schema): baseline 0, so V1 still runs.
                .baselineOnMigrate(true)
                .baselineVersion(unversionedJournal ? "1" : "0")
                .baselineDescription(unversionedJournal ? "journal created before versioned migrations"
                        : "schema shared with other tables")
                .load();
        MigrateResult result = flyway.migrate();
        String from = versioned ? result.initialSchemaVersion : unversionedJournal ? "1" : null;
        String to = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        String how = from == null ? "new journal" : from.equals(to) ? "up to date" : "migrated from " + from;
        LOG.info("Journal {} at schema version {} ({})", location, to, how);
        return new Migration(location, from, to, result.migrationsExecuted);
    }

    /** H2 folds unquoted names to upper case, PostgreSQL to lower case: both are looked for, in the current schema only. */
    private static boolean hasTable(Connection connection, String name) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String candidate : new String[] {name, name.toUpperCase(Locale.ROOT)}) {
            try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), candidate, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The JDBC URL for the log: a password given in it (PostgreSQL {@code password=}, H2 {@code PASSWORD=}) is masked. */
    static String withoutPassword(String url) {
        return url == null ? "(unknown URL)" : url.replaceAll("(?i)(password|pwd)=[^;&]*", "$1=***");
    }
}
