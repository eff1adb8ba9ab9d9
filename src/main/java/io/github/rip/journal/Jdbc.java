package io.github.rip.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/** The journals' plain-JDBC plumbing, written once so H2 and PostgreSQL are treated the same everywhere. */
final class Jdbc {

    /** Reads one row. */
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** SQLSTATE of a unique or primary key violation, in H2 and PostgreSQL alike. */
    static final String UNIQUE_VIOLATION = "23505";

    private static final int MAX_TEXT = 8000;
    private static final String TRUNCATED = " [...]";

    private final DataSource dataSource;
    private final String journal;

    Jdbc(DataSource dataSource, String journal) {
        this.dataSource = dataSource;
        this.journal = journal;
    }

    void update(String sql, Object... args) {
        updateCount(sql, args);
    }

    /** Runs an update and returns how many rows it changed; the change is in the database file when this returns. */
    int updateCount(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalException(journal + " update failed: " + sql, e);
        }
    }

    <T> List<T> query(String sql, int limit, RowMapper<T> mapper, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(limit);
            bind(ps, args);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new JournalException(journal + " query failed: " + sql, e);
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg == null) {
                // untyped: the database infers the column type (VARCHAR fails on PostgreSQL for INT/TIMESTAMP columns)
                ps.setNull(i + 1, Types.NULL);
            } else if (arg instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (arg instanceof Long n) {
                ps.setLong(i + 1, n);
            } else if (arg instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setObject(i + 1, arg);
            }
        }
    }

    /** A TIMESTAMP column holding UTC wall-clock time (see {@link #utc}), or null. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    static LocalDateTime now() {
        return utc(Instant.now());
    }

    /**
     * Times are stored as UTC wall-clock time in TIMESTAMP columns: independent of the JVM time zone and identical on H2
     * and PostgreSQL (java.sql.Timestamp goes through the local zone, so the DST fall-back hour came back differently).
     */
    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Free text made storable in VARCHAR(8000) on both databases: NUL (which PostgreSQL text rejects, H2 keeps) becomes
     * U+FFFD, and a long text is cut without splitting a surrogate pair (a lone half has no UTF-8 form for PostgreSQL).
     */
    static String text(String text) {
        if (text == null) {
            return null;
        }
        String clean = text.replace('\u0000', '\uFFFD');
        if (clean.length() <= MAX_TEXT) {
            return clean;
        }
        int cut = MAX_TEXT - TRUNCATED.length();
        if (Character.isHighSurrogate(clean.charAt(cut - 1))) {
            cut--;
        }
        return clean.substring(0, cut) + TRUNCATED;
    }
}
