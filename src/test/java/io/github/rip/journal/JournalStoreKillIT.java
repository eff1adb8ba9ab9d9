package io.github.rip.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The H2 journal keeps every commit a killed JVM saw return: writer threads in a JVM of their own
 * ({@link JournalWriterProcess}) on the URL the runner uses ({@link Database#durableH2}), {@code kill -9} at random
 * moments, and after each kill every row the writer reported committed must be in the file in the state reported.
 * H2's retention time is cut to half a second so the space reuse that lost rows (see Database) would happen within
 * the first second of each writer's life; the runner's settings must make that harmless.
 */
class JournalStoreKillIT {

    private static final int KILLS = 4;

    @TempDir
    Path folder;

    @Test
    void no_commit_the_writer_saw_return_is_lost_to_kill_minus_9() throws Exception {
        String url = Database.durableH2("jdbc:h2:file:" + folder.resolve("db/rip") + ";RETENTION_TIME=500");
        Random random = new Random();
        List<String> rounds = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            Path out = folder.resolve("writer-" + kill + ".out");
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), JournalWriterProcess.class.getName(), url, "4")
                    .redirectOutput(out.toFile()).redirectError(folder.resolve("writer-" + kill + ".err").toFile())
                    .start();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("ready"));
            long workMillis = 1500 + random.nextInt(1500);
            Thread.sleep(workMillis); // the random moment of the kill: the scenario, not a wait for a result
            writer.destroyForcibly().waitFor();

            Map<Long, String> acknowledged = acknowledged(out);
            Map<Long, String> stored = stored(url);
            List<Long> lost = acknowledged.entrySet().stream().filter(e -> stored.get(e.getKey()) == null
                    || e.getValue().equals("ENQUEUED") && !stored.get(e.getKey()).equals("ENQUEUED"))
                    .map(Map.Entry::getKey).sorted().toList();
            rounds.add("kill " + kill + " after " + workMillis + " ms: " + acknowledged.size() + " rows committed, "
                    + stored.size() + " in the file, lost " + lost);
            assertThat(lost).as(String.join("\n", rounds)).isEmpty();
        }
        System.out.println("JournalStoreKillIT\n" + String.join("\n", rounds));
    }

    /** The newest state the writer reported committed, per row. */
    private static Map<Long, String> acknowledged(Path out) throws Exception {
        Map<Long, String> states = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] parts = line.split(" ");
            if (parts.length == 3 && parts[0].equals("A")) {
                states.merge(Long.parseLong(parts[1]), parts[2], (a, b) -> a.equals("ENQUEUED") ? a : b);
            }
        }
        return states;
    }

    private static Map<Long, String> stored(String url) throws Exception {
        Map<Long, String> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, "rip", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT id, state FROM written")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2));
            }
        }
        return rows;
    }
}
