package io.github.rip.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.rip.RecurringIntegrationsPack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test fixture: one command of the jar as an operator runs it, {@code java -cp <test class path>
 * RecurringIntegrationsPack <args>} in the repository root, configured only through the environment; waits for its end.
 */
final class PackCommand {

    private static final long TIMEOUT_SECONDS = 180;
    private static final List<String> FOREIGN_PREFIXES = List.of("RIP_", "D365_", "CAMEL_", "EMULATOR_", "IMPORT_",
            "EXPORT_", "SFTP_");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the command printed (stdout and stderr) and its exit code. */
    record Result(int exitCode, String output) {

        /** The output as the one JSON object --json prints. */
        JsonNode json() {
            try {
                return JSON.readTree(output);
            } catch (IOException e) {
                throw new AssertionError("not one JSON object:\n" + output, e);
            }
        }
    }

    private PackCommand() {
    }

    static Result run(Path temp, Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), RecurringIntegrationsPack.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(temp, "command", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> FOREIGN_PREFIXES.stream().anyMatch(name::startsWith));
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putIfAbsent("EMULATOR_EXPORTS_CUSTOMER_GROUPS_EVERY", "0");
        builder.environment().putAll(all);
        Process process = builder.start();
        try {
            boolean ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("the command must end by itself within %d s; its output:%n%s", TIMEOUT_SECONDS,
                    output).isTrue();
            return new Result(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
