package io.github.rip.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The runner's durable state store: H2 (file) by default, PostgreSQL when configured; one schema for both. */
public final class Database {

    private Database() {
    }

    /** A pooled data source; for an H2 file URL the parent folder is created first. */
    public static HikariDataSource open(String url, String user, String password) throws IOException {
        if (url.startsWith("jdbc:h2:file:")) {
            // H2 refuses paths relative to the working directory; the runner's data folder usually is one
            String rest = url.substring("jdbc:h2:file:".length());
            int options = rest.indexOf(';');
            String path = options < 0 ? rest : rest.substring(0, options);
            Path absolute = Path.of(path).toAbsolutePath().normalize();
            Files.createDirectories(absolute.getParent());
            url = "jdbc:h2:file:" + absolute + (options < 0 ? "" : rest.substring(options));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password == null ? "" : password);
        config.setMaximumPoolSize(8);
        config.setPoolName("rip-db");
        return new HikariDataSource(config);
    }

    /** Runs schema.sql (idempotent CREATE ... IF NOT EXISTS statements, portable between H2 and PostgreSQL). */
    public static void createSchema(DataSource dataSource) throws IOException, SQLException {
        String script;
        try (InputStream in = Database.class.getResourceAsStream("/db/schema.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // comment lines go first, so that a ';' in a comment cannot split a statement
        String sql = script.lines().filter(l -> !l.trim().startsWith("--")).collect(Collectors.joining("\n"));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String part : sql.split(";")) {
                if (!part.isBlank()) {
                    statement.execute(part.trim());
                }
            }
        }
    }
}
