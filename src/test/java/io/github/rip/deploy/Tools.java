package io.github.rip.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the command-line tools a deployment is checked with (systemd-analyze, docker, tar), as an operator would. */
final class Tools {

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
    }

    private Tools() {
    }

    /** The tool on PATH, or empty. */
    static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Skips the calling test, saying why in the build output, when the tool is missing. */
    static Path require(String name, String why) {
        Optional<Path> tool = find(name);
        if (tool.isEmpty()) {
            System.out.println("SKIPPED: " + name + " is not on this machine's PATH; " + why);
        }
        assumeTrue(tool.isPresent(), name + " not found");
        return tool.get();
    }

    static Result run(Path dir, Map<String, String> env, List<String> command) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toAbsolutePath().toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 120 s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(Path.of(""), Map.of(), List.of(command));
    }

    /** camel.main.shutdown-timeout of the shipped application.properties, in seconds: what every stop must allow. */
    static int shutdownTimeoutSeconds() throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(reader);
        }
        return Integer.parseInt(properties.getProperty("camel.main.shutdown-timeout").trim());
    }
}
