package io.github.rip.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The H2 settings every journal URL gets (what makes a commit survive kill -9), and the compaction at start. */
class DatabaseTest {

    @TempDir
    Path folder;

    @Test
    void every_h2_file_url_writes_each_commit_at_once_and_never_into_reused_space() throws Exception {
        String url = Database.durableH2("jdbc:h2:file:" + folder.resolve("db/rip") + ";MODE=PostgreSQL");
        assertThat(url).isEqualTo("jdbc:h2:file:" + folder.resolve("db/rip") + ";MODE=PostgreSQL;REUSE_SPACE=FALSE"
                + ";WRITE_DELAY=0");
        assertThat(Database.durableH2("jdbc:h2:file:" + folder.resolve("db/rip") + ";write_delay=0;reuse_space=false"))
                .endsWith(";write_delay=0;reuse_space=false");
    }

    @Test
    void a_url_asking_for_a_write_delay_or_reused_space_is_refused_naming_the_setting() {
        assertThatThrownBy(() -> Database.durableH2("jdbc:h2:file:" + folder.resolve("rip") + ";WRITE_DELAY=500"))
                .hasMessageStartingWith("rip.db.url: WRITE_DELAY=500 is not accepted").hasMessageContaining("WRITE_DELAY=0");
        assertThatThrownBy(() -> Database.durableH2("jdbc:h2:file:" + folder.resolve("rip") + ";REUSE_SPACE=TRUE"))
                .hasMessageStartingWith("rip.db.url: REUSE_SPACE=TRUE is not accepted")
                .hasMessageContaining("REUSE_SPACE=FALSE");
    }

    @Test
    void a_journal_file_over_the_threshold_is_compacted_and_keeps_its_rows() throws Exception {
        String url = Database.durableH2("jdbc:h2:file:" + folder.resolve("db/rip"));
        try (Connection c = DriverManager.getConnection(url, "rip", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))");
            for (int i = 0; i < 3000; i++) {
                // every commit appends to the file: space is never reused
                s.execute("MERGE INTO t KEY (id) VALUES (" + (i % 50) + ", '" + "x".repeat(150) + i + "')");
            }
        }
        Path file = folder.resolve("db/rip.mv.db");
        long grown = Files.size(file);

        Database.compactIfLarge(url, "rip", null, grown + 1);
        assertThat(Files.size(file)).as("under the threshold: left alone").isEqualTo(grown);
        Database.compactIfLarge(url, "rip", null, grown / 2);
        assertThat(Files.size(file)).isLessThan(grown / 4);
        try (Connection c = DriverManager.getConnection(url, "rip", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), MAX(v) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(50);
            assertThat(rs.getString(2)).endsWith("2999");
        }
    }
}
