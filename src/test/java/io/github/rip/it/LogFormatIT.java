package io.github.rip.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log as an operator configures it with RIP_LOG_FORMAT / RIP_LOG_FILE (src/main/resources/log4j2.properties):
 * JSON is one object per line, a file is written when asked, and no layout lets a secret through.
 */
class LogFormatIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void everyLayoutMasksSecretsOnTheConsoleAndInTheFile() throws Exception {
        for (String format : List.of("text", "json")) {
            Path dir = Files.createDirectories(temp.resolve(format));
            String console = run(Map.of("RIP_LOG_FORMAT", format, "RIP_LOG_FILE", format,
                    "RIP_LOG_DIR", dir.toString()));
            Path file = dir.resolve("recurring-integrations-pack." + ("json".equals(format) ? "json" : "log"));
            String written = Files.readString(file, StandardCharsets.UTF_8);
            for (String log : List.of(console, written)) {
                assertThat(log).contains("enqueued as message 6d31e09f", "sftp://contoso:*****@sftp.example",
                        "password=*****", "client_secret=*****", "Bearer *****", "IllegalStateException");
                for (String secret : LogLines.SECRETS) {
                    assertThat(log).as("%s log holds the secret %s", format, secret).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void jsonIsOneObjectPerLineWithRouteAndFileFromCamel() throws Exception {
        String console = run(Map.of("RIP_LOG_FORMAT", "json"));
        List<JsonNode> events = parseLines(console);
        assertThat(events).hasSize(4);
        JsonNode enqueued = events.get(0);
        assertThat(enqueued.get("level").asText()).isEqualTo("INFO");
        assertThat(enqueued.get("logger").asText()).isEqualTo("io.github.rip.importing.ImportJob");
        assertThat(enqueued.get("route").asText()).isEqualTo("import-customer-groups");
        assertThat(enqueued.get("file").asText()).isEqualTo("Übersicht \"Q1\".csv");
        assertThat(enqueued.get("message").asText()).startsWith("customer-groups: Übersicht \"Q1\".csv enqueued")
                .endsWith("\nsecond line");
        assertThat(events.get(1).has("route")).as("no route outside a Camel exchange").isFalse();
        JsonNode error = events.get(3);
        assertThat(error.get("error").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("message").asText()).contains("at io.github.rip.it.LogLines.main");
    }

    @Test
    void aRealImportLogsItsRouteAndFileAsJsonFields() throws Exception {
        Path data = temp.resolve("data");
        try (StandaloneEmulator emulator = new StandaloneEmulator(temp.resolve("emulator"), builder -> { }).start()) {
            Map<String, String> env = RunnerProcess.environment(emulator.get(), data, Path.of("routes").toAbsolutePath());
            env.put("RIP_LOG_FORMAT", "json");
            Path log = temp.resolve("runner.log");
            try (RunnerProcess runner = RunnerProcess.start(log, env).awaitStarted(Duration.ofSeconds(90))) {
                Path inbox = Files.createDirectories(data.resolve("import/customer-groups/inbox"));
                Files.copy(Path.of("docs/samples/customer-groups.csv"), inbox.resolve("customer-groups.csv"));
                await().atMost(Duration.ofSeconds(60)).until(() -> enqueuedLine(runner) != null);
                JsonNode enqueued = enqueuedLine(runner);
                assertThat(enqueued.get("route").asText()).isEqualTo("import-customer-groups");
                assertThat(enqueued.get("file").asText()).isEqualTo("customer-groups.csv");
                assertThat(enqueued.get("exchange").asText()).isNotBlank();
                assertThat(enqueued.get("job").asText()).isEqualTo("customer-groups");
                assertThat(enqueued.get("message").asText()).endsWith(" " + enqueued.get("messageId").asText());
                runner.stop();
            }
            String all = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(parseLines(all)).as("every line of a whole run, start to stop").isNotEmpty();
            assertThat(all).doesNotContain(StandaloneEmulator.SECRET);
        }
    }

    private static JsonNode enqueuedLine(RunnerProcess runner) throws IOException {
        for (String line : runner.lines()) {
            if (line.contains("customer-groups.csv enqueued as message")) {
                return JSON.readTree(line);
            }
        }
        return null;
    }

    /** Each line must be one JSON object on its own (what a log shipper reads). */
    private static List<JsonNode> parseLines(String text) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : text.split("\n")) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
            assertThat(node.get("time")).as("time of %s", line).isNotNull();
            events.add(node);
        }
        return events;
    }

    /** LogLines in a JVM of its own with the given environment (the test class path holds log4j2.properties). */
    private String run(Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LogLines.class.getName()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("RIP_") || name.startsWith("LOG4J"));
        // the file log's folder is created even while that log is off: keep it out of the working tree
        builder.environment().put("RIP_LOG_DIR", temp.resolve("logs").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
