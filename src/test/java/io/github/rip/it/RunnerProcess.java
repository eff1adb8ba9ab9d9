package io.github.rip.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.github.rip.RecurringIntegrationsPack;
import io.github.rip.emulator.D365Emulator;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Test fixture: the runner as a JVM of its own ({@code java -cp <test class path> RecurringIntegrationsPack}), started
 * in the repository root so it reads the top-level application.properties, configured only through environment
 * variables like an operator would, and killed with SIGKILL: nothing in the runner gets a chance to clean up.
 */
final class RunnerProcess implements AutoCloseable {

    /** Camel Main's line once every route has started. */
    private static final Pattern STARTED = Pattern.compile("Apache Camel \\S+ \\(.*\\) started in ");
    /** What Java reports as the exit value of a process ended by signal 9. */
    private static final int SIGKILL_EXIT = 128 + 9;
    /**
     * Settings of the surrounding shell must not leak in: the H2 scenario has to run on the default rip.db.url, and an
     * inherited D365_BASE_URL would point the runner somewhere else.
     */
    private static final List<String> FOREIGN_PREFIXES = List.of("RIP_", "D365_", "CAMEL_", "EMULATOR_", "IMPORT_",
            "EXPORT_");

    private final Process process;
    private final Path log;

    private RunnerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a runner whose stdout and stderr go to {@code log}; {@code env} is its whole configuration. */
    static RunnerProcess start(Path log, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                // the runner's behaviour does not depend on these; they keep the many restarts of a crash test cheap
                // on a small machine (C1 only starts faster, one GC thread leaves the cores to the test)
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RecurringIntegrationsPack.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> FOREIGN_PREFIXES.stream().anyMatch(name::startsWith));
        builder.environment().putAll(env);
        return new RunnerProcess(builder.start(), log);
    }

    /**
     * A runner pointed at an emulator, with its state under {@code data}, the jobs of {@code routes} and the short
     * timings of {@link PackRunner}: environment variables over the top-level application.properties.
     */
    static Map<String, String> environment(D365Emulator emulator, Path data, Path routes) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RIP_DATA_DIR", data.toString());
        env.put("RIP_ROUTES_DIR", routes.toString());
        env.put("D365_BASE_URL", emulator.baseUrl());
        env.put("D365_AUTHORITY", emulator.authority());
        env.put("D365_TRUSTSTORE_PATH", emulator.trustStore().toString());
        env.put("D365_TRUSTSTORE_PASSWORD", emulator.trustStorePassword());
        env.put("D365_CLIENT_ID", StandaloneEmulator.CLIENT_ID);
        env.put("D365_CLIENT_SECRET", StandaloneEmulator.SECRET);
        // PackRunner's test timings
        env.put("RIP_IMPORT_READ_LOCK_MIN_AGE", "300ms");
        env.put("RIP_IMPORT_POLL_DELAY", "200");
        env.put("RIP_STATUS_POLL_INTERVAL", "200");
        env.put("RIP_RETRY_IN_PLACE_DELAY", "100");
        env.put("RIP_RETRY_FIRST_BACKOFF", "1s");
        env.put("RIP_RETRY_MAX_BACKOFF", "2s");
        env.put("RIP_EXPORT_POLL_INTERVAL", "300");
        env.put("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "5");
        env.put("CAMEL_SERVER_PORT", "0");
        return env;
    }

    /** Waits for Camel's "started in" line; fails with the log's tail if the runner died or took too long. */
    RunnerProcess awaitStarted(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> started() || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The runner did not start within " + timeout + "; " + log + " ends with:\n"
                    + tail(40), e);
        }
        if (!started()) {
            throw new AssertionError("The runner exited with " + process.exitValue() + " before it started; " + log
                    + " ends with:\n" + tail(40));
        }
        return this;
    }

    boolean started() {
        return lines().stream().anyMatch(line -> STARTED.matcher(line).find());
    }

    /** kill -9 (Process.destroyForcibly is SIGKILL on Linux), then waits until the JVM is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("The runner (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
        if (process.exitValue() != SIGKILL_EXIT) {
            // it died before the signal: that is a finding of its own, not a crash the test caused
            throw new AssertionError("The runner had already exited with " + process.exitValue()
                    + " when it was to be killed; " + log + " ends with:\n" + tail(40));
        }
    }

    /** SIGTERM: Camel Main shuts down gracefully (shutdown-timeout); SIGKILL if it hangs. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The runner's threads (jcmd Thread.print) into {@code <log>.threads.txt}, for a failure that looks like a hang. */
    Path threadDump() {
        Path dump = log.resolveSibling(log.getFileName() + ".threads.txt");
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return dump;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    List<String> lines() {
        try {
            // not Files.readString: a line cut by the kill may end in half a UTF-8 character
            return Files.exists(log) ? List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"))
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tail(int count) {
        List<String> lines = lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
