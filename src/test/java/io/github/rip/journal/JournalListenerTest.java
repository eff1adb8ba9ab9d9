package io.github.rip.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal listener may read the row it is told about: the journal tells it after the statement's connection went
 * back to the pool. Held during the call, eight files claimed at once by eight threads took all eight connections of the
 * pool and each waited 30 s (the pool's timeout) for a ninth; here a pool of one connection shows it at once.
 */
class JournalListenerTest {

    @TempDir
    Path folder;

    @Test
    void a_listener_reading_the_new_row_does_not_need_a_second_connection_at_the_same_time() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("rip");
        try (HikariDataSource schema = Database.open(url, "rip", null)) {
            JournalSchema.migrate(schema); // Flyway wants connections of its own
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(Database.durableH2(url));
        config.setUsername("rip");
        config.setPassword("");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(1000);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            ImportJournal imports = new ImportJournal(pool);
            ExportJournal exports = new ExportJournal(pool);
            List<String> seen = new ArrayList<>();
            JournalListener reader = new JournalListener() {
                @Override
                public void importChanged(ImportChange change, long id) {
                    seen.add(change + " " + imports.find(id).orElseThrow().fileName());
                }

                @Override
                public void exportChanged(ExportChange change, long id) {
                    seen.add(change + " " + exports.find(id).orElseThrow().correlationId());
                }
            };
            imports.setListener(reader);
            exports.setListener(reader);

            imports.claim("groups", "a.csv", "/inbox/a.csv", 10, null, "abc", "act", "/p", "/f").orElseThrow();
            exports.open("groups-export", "act", "corr-1", "receipt", null).orElseThrow();

            assertThat(seen).containsExactly("CLAIMED a.csv", "DEQUEUED corr-1");
        }
    }
}
