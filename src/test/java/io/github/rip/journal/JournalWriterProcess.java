package io.github.rip.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A JVM that does nothing but journal-like writes until it is killed (for {@code JournalStoreKillIT}): writer threads
 * insert a row, then update it, each through the pool in auto-commit, and print {@code A <id> <state>} once the commit
 * returned. Whatever was printed must be in the database after a {@code kill -9}.
 * Usage: {@code JournalWriterProcess <jdbc url> <threads>}.
 */
public final class JournalWriterProcess {

    private JournalWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername("rip");
        config.setPassword("");
        config.setMaximumPoolSize(8);
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS written (id BIGINT AUTO_INCREMENT PRIMARY KEY, state VARCHAR(20), "
                    + "pad VARCHAR(400))");
        }
        System.out.println("ready");
        System.out.flush();
        int threads = Integer.parseInt(args[1]);
        ExecutorService writers = Executors.newFixedThreadPool(threads);
        String pad = "x".repeat(300);
        for (int t = 0; t < threads; t++) {
            writers.submit(() -> {
                while (true) {
                    long id;
                    try (Connection c = pool.getConnection(); PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO written (state, pad) VALUES ('CLAIMED', ?)", Statement.RETURN_GENERATED_KEYS)) {
                        insert.setString(1, pad);
                        insert.executeUpdate();
                        try (ResultSet keys = insert.getGeneratedKeys()) {
                            keys.next();
                            id = keys.getLong(1);
                        }
                    }
                    acknowledge(id, "CLAIMED");
                    try (Connection c = pool.getConnection(); PreparedStatement update = c.prepareStatement(
                            "UPDATE written SET state = 'ENQUEUED' WHERE id = ?")) {
                        update.setLong(1, id);
                        update.executeUpdate();
                    }
                    acknowledge(id, "ENQUEUED");
                }
            });
        }
        Thread.currentThread().join();
    }

    private static void acknowledge(long id, String state) {
        synchronized (System.out) {
            System.out.println("A " + id + " " + state);
            System.out.flush();
        }
    }
}
