package io.github.rip.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.rip.support.InvalidConfigurationException;

/**
 * The runner's durable state store: H2 (file) by default, PostgreSQL when configured; one schema for both, brought
 * to its version by {@link JournalSchema}.
 *
 * <p>Durability: a journal row the runner acted on must survive {@code kill -9}. H2's default {@code WRITE_DELAY}
 * (500 ms) keeps commits in memory until a background thread writes them, so a killed runner lost the rows of its last
 * moments (measured: hundreds of committed rows per kill under load), and files then stuck in sent/ or were enqueued
 * twice. Every H2 file URL therefore gets {@code WRITE_DELAY=0}: each commit is written to the file before
 * {@code executeUpdate} returns. See docs/architecture.md, "Power cut", for what a machine crash can still lose.
 */
public final class Database {

    private static final String H2_FILE = "jdbc:h2:file:";
    private static final String WRITE_DELAY = "WRITE_DELAY=";
    /** H2's ErrorCode.DATABASE_ALREADY_OPEN_1: the file is locked by another process. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private Database() {
    }

    /** A pooled data source; for an H2 file URL the parent folder is created first and commits are made durable. */
    public static HikariDataSource open(String url, String user, String password) throws IOException {
        if (url.startsWith(H2_FILE)) {
            url = durableH2(url);
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
     * is one) with {@code WRITE_DELAY=0}; a URL asking for another write delay is refused, since it breaks the promise
     * that nothing is lost when the runner dies.
     */
    static String durableH2(String url) throws IOException {
        String rest = url.substring(H2_FILE.length());
        int options = rest.indexOf(';');
        String path = options < 0 ? rest : rest.substring(0, options);
        String settings = options < 0 ? "" : rest.substring(options);
        for (String setting : settings.split(";")) {
            String upper = setting.trim().toUpperCase(Locale.ROOT);
            if (upper.startsWith(WRITE_DELAY) && !upper.equals(WRITE_DELAY + "0")) {
                throw new IllegalArgumentException("rip.db.url: " + setting.trim() + " is not accepted: the journal must "
                        + "write each commit at once (WRITE_DELAY=0, set by the runner) or a killed runner loses rows; "
                        + "remove the setting");
            }
        }
        Path absolute = Path.of(path).toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        if (!settings.toUpperCase(Locale.ROOT).contains(WRITE_DELAY)) {
            settings += ";" + WRITE_DELAY + "0";
        }
        return H2_FILE + absolute + settings;
    }
}
