package io.github.rip.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.rip.support.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's durable state store: H2 (file) by default, PostgreSQL when configured; one schema for both, brought
 * to its version by {@link JournalSchema}.
 *
 * <p>Durability: a journal row the runner acted on must survive {@code kill -9}. Two H2 defaults break that, and every
 * H2 file URL gets both switched off (a URL asking for them back is refused):
 * <ul>
 * <li>{@code WRITE_DELAY} (500 ms) keeps commits in memory until a background thread writes them: a killed runner lost
 * the rows of its last moments. With {@code WRITE_DELAY=0} each commit is written to the file before
 * {@code executeUpdate} returns.</li>
 * <li>{@code REUSE_SPACE}: once H2 writes new data into space freed by old data (after its 45 s retention time), the
 * newest writes can be missing when the file is opened after a kill: measured with four writer threads, 4–8 committed
 * rows lost per kill, none with {@code REUSE_SPACE=FALSE}. The file then only grows while the runner runs; it is
 * compacted when a runner starts and finds it larger than {@link #COMPACT_ABOVE_BYTES}.</li>
 * </ul>
 * See docs/architecture.md, "Crash safety" and "Power cut" (what a machine crash can still lose).
 */
public final class Database {

    private static final String H2_FILE = "jdbc:h2:file:";
    /** H2 settings the runner sets and a URL may not change: each commit written at once, never into reused space. */
    private static final Map<String, String> DURABLE_H2 = Map.of("WRITE_DELAY", "0", "REUSE_SPACE", "FALSE");
    /** A journal file larger than this is compacted when a runner starts (H2 does not reuse space, see above). */
    static final long COMPACT_ABOVE_BYTES = 64L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** H2's ErrorCode.DATABASE_ALREADY_OPEN_1: the file is locked by another process. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private Database() {
    }

    /** A pooled data source; for an H2 file URL the parent folder is created first and commits are made durable. */
    public static HikariDataSource open(String url, String user, String password) throws IOException {
        if (url.startsWith(H2_FILE)) {
            url = durableH2(url);
            compactIfLarge(url, user, password, COMPACT_ABOVE_BYTES);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password == null ? "" : password);
        config.setMaximumPoolSize(8);
        config.setPoolName("rip-db");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (url.startsWith(H2_FILE) && isInUse(e)) {
                // H2's file lock: another process has this journal open. Two runners on one H2 file would corrupt
                // each other's view of the files; several runners share PostgreSQL instead.
                throw new InvalidConfigurationException("rip.db.url: the journal " + url.substring(H2_FILE.length())
                        .replaceFirst(";.*", "") + " is in use by another runner (H2 is one runner's journal): stop "
                        + "that runner, give this one its own rip.data-dir, or run several runners on PostgreSQL "
                        + "(rip.db.url=jdbc:postgresql://..., see docs/scaling.md)");
            }
            throw e;
        }
    }

    /** H2's "Database may be already in use" (error 90020) somewhere in the cause chain. */
    private static boolean isInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return true;
            }
        }
        return false;
    }

    /**
     * An absolute H2 file URL (H2 refuses paths relative to the working directory, and the runner's data folder usually
     * is one) with {@code WRITE_DELAY=0} and {@code REUSE_SPACE=FALSE}; a URL asking for other values is refused, since
     * they break the promise that nothing is lost when the runner dies.
     */
    static String durableH2(String url) throws IOException {
        String rest = url.substring(H2_FILE.length());
        int options = rest.indexOf(';');
        String path = options < 0 ? rest : rest.substring(0, options);
        String settings = options < 0 ? "" : rest.substring(options);
        Map<String, String> missing = new TreeMap<>(DURABLE_H2);
        for (String setting : settings.split(";")) {
            String[] nameValue = setting.trim().toUpperCase(Locale.ROOT).split("=", 2);
            String required = DURABLE_H2.get(nameValue[0].trim());
            if (required == null) {
                continue;
            }
            if (nameValue.length < 2 || !nameValue[1].trim().equals(required)) {
                throw new IllegalArgumentException("rip.db.url: " + setting.trim() + " is not accepted: the journal must "
                        + "write each commit at once and never into reused space (" + nameValue[0].trim() + "="
                        + required + ", set by the runner) or a killed runner loses rows; remove the setting");
            }
            missing.remove(nameValue[0].trim());
        }
        Path absolute = Path.of(path).toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        StringBuilder durable = new StringBuilder(H2_FILE).append(absolute).append(settings);
        missing.forEach((name, value) -> durable.append(';').append(name).append('=').append(value));
        return durable.toString();
    }

    /**
     * Compacts the H2 journal before the runner opens it, when its file has grown past {@code threshold} bytes:
     * H2 writes the compacted copy to a new file and renames it over the old one, so a kill during this loses nothing.
     */
    static void compactIfLarge(String url, String user, String password, long threshold) {
        Path file = Path.of(url.substring(H2_FILE.length()).replaceFirst(";.*", "") + ".mv.db");
        long before;
        try {
            before = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return;
        }
        if (before <= threshold) {
            return;
        }
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, user, password == null ? "" : password);
             Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            if (isInUse(e)) {
                return; // open() below names the runner holding it
            }
            LOG.warn("The journal {} could not be compacted ({}); it is used as it is", file, e.getMessage());
            return;
        }
        try {
            LOG.info("Journal {} compacted from {} MB to {} MB in {} ms", file, before / (1024 * 1024),
                    Files.size(file) / (1024 * 1024), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            LOG.info("Journal {} compacted", file);
        }
    }
}
