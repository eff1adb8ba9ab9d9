package io.github.rip.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.Endpoint;
import io.github.rip.journal.PostgresCluster;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rip.it.CrashChecks.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Nothing is lost, nothing is sent twice" under {@code kill -9}: files are dripped into an inbox and export messages
 * published while the runner (a JVM of its own) is killed at random moments and restarted, then one last runner
 * settles everything and the emulator's record and the folders are checked (see {@link CrashChecks}). The random
 * seed is printed; {@code -Dcrash.seed=<seed>} repeats the same drip, publications and kill moments.
 */
class CrashSafetyIT {

    private static final int FILES = 200;
    private static final int EXPORTS = 30;
    private static final int MIN_KILLS = 5;
    private static final String IMPORT_JOB = "crash-groups";
    private static final String EXPORT_JOB = "crash-export";
    /** Short, so D365 offers a message again soon after the runner died holding it. */
    private static final Duration VISIBILITY = Duration.ofSeconds(3);
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration ENQUEUE_LATENCY = Duration.ofMillis(250);

    /** Kept when a scenario fails: the runners' logs, the folders and the emulator's record are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path temp;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void nothing_is_lost_or_sent_twice_with_the_default_h2_journal() throws Exception {
        scenario("h2", 1, Map.of()); // no RIP_DB_URL: the shipped jdbc:h2:file:{{rip.data-dir}}/db/rip
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void nothing_is_lost_or_sent_twice_with_eight_files_in_flight() throws Exception {
        scenario("h2-8-in-flight", 8, Map.of());
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void nothing_is_lost_or_sent_twice_with_a_postgresql_journal_and_eight_files_in_flight() throws Exception {
        try (PostgresCluster postgres = PostgresCluster.start()) {
            scenario("postgresql-8-in-flight", 8, Map.of("RIP_DB_URL", postgres.jdbcUrl(), "RIP_DB_USER", postgres.user(),
                    "RIP_DB_PASSWORD", postgres.password()));
        }
    }

    /** @param maxInFlight the import job's files worked on at a time (1: one after another) */
    private void scenario(String db, int maxInFlight, Map<String, String> dbEnv) throws Exception {
        long seed = Long.getLong("crash.seed", new SecureRandom().nextLong());
        System.out.printf("CrashSafetyIT [%s] seed %d (repeat with -Dcrash.seed=%d)%n", db, seed, seed);
        long begin = System.nanoTime();
        Random random = new Random(seed);
        Path dir = Files.createDirectories(temp.resolve(db));
        Path data = dir.resolve("data");
        Path job = data.resolve("import").resolve(IMPORT_JOB);
        Path exportJob = data.resolve("export").resolve(EXPORT_JOB);
        Path outbox = exportJob.resolve("outbox");
        Map<String, byte[]> files = CrashFixtures.csvFiles(random, FILES);
        List<RunnerProcess> runs = new ArrayList<>();
        D365Emulator emulator = CrashFixtures.startEmulator(dir.resolve("emulator"), VISIBILITY);
        if (maxInFlight > 1) {
            // D365 takes a moment per enqueue, so the files that piled up while a runner was down are sent several at
            // a time when the next one starts, and the kills land on several requests in flight
            emulator.faults().delayNext(Endpoint.ENQUEUE, ENQUEUE_LATENCY, Integer.MAX_VALUE);
        }
        ExecutorService background = Executors.newFixedThreadPool(2);
        try {
            Map<String, String> env = RunnerProcess.environment(emulator, data, CrashFixtures.writeRoutes(dir.resolve("routes"), IMPORT_JOB, EXPORT_JOB, maxInFlight));
            env.putAll(dbEnv);
            Files.createDirectories(job.resolve("inbox"));
            Random dripRandom = new Random(random.nextLong());
            Random publishRandom = new Random(random.nextLong());
            Path inbox = job.resolve("inbox");
            Future<?> drip = background.submit(() -> drip(files, inbox, dir.resolve("staging"), dripRandom));
            Future<Map<String, Map<String, String>>> exports =
                    background.submit(() -> publish(emulator, publishRandom));

            int kills = 0;
            while (kills < MIN_KILLS || !drip.isDone() || !exports.isDone()) {
                RunnerProcess runner = start(runs, dir, env);
                int workMillis = 200 + random.nextInt(4800);
                Thread.sleep(workMillis); // the random moment of the kill: the scenario, not a wait for a result
                runner.kill();
                kills++;
                System.out.printf("  kill -9 #%d: runner pid %d after %d ms of work%n", kills, runner.pid(),
                        workMillis);
            }
            drip.get(); // rethrows what went wrong in the background
            Map<String, Map<String, String>> published = exports.get();

            RunnerProcess last = start(runs, dir, env);
            String settled = "settled";
            try {
                await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> settled(job, outbox, emulator));
            } catch (ConditionTimeoutException e) {
                // the checks below say what is stuck; the last runner's threads say where
                settled = "NOT settled within " + SETTLE.toSeconds() + " s (threads of the last runner: "
                        + last.threadDump() + ")";
            }
            CrashChecks checks = new CrashChecks();
            checks.imports(job, files, emulator, CrashFixtures.activity("import"), kills, maxInFlight, logs(runs));
            checks.exports(outbox, exportJob, emulator, published);
            int peak = emulator.peakConcurrentRequests(Endpoint.ENQUEUE);
            String outcome = String.format(
                    "[%s] seed %d, %d kills, %d runs, %s, %s, %d '%s' warnings in the logs, at most %d enqueues at "
                    + "once, %d s", db, seed, kills, runs.size(), settled, checks.summary(), warnings(runs),
                    CrashChecks.LOG_DUPLICATE, peak, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));
            System.out.println("CrashSafetyIT " + outcome);
            assertThat(checks.problems()).as("%s%n%s%s", outcome, diagnostics(runs, dir), checks.traces(runs, 60))
                    .isEmpty();
            if (maxInFlight > 1) {
                assertThat(peak).as("several files in flight at once: %s", outcome).isGreaterThan(1);
            }
            last.stop();
        } finally {
            background.shutdownNow();
            runs.forEach(RunnerProcess::close);
            emulator.stop();
        }
    }

    private static RunnerProcess start(List<RunnerProcess> runs, Path dir, Map<String, String> env) throws IOException {
        RunnerProcess runner = RunnerProcess.start(dir.resolve("runner-" + (runs.size() + 1) + ".log"), env);
        runs.add(runner);
        return runner.awaitStarted(STARTUP);
    }

    /** Everything done as far as the folders and D365 can tell; {@link CrashChecks} then says whether it is right. */
    private static boolean settled(Path job, Path outbox, D365Emulator emulator) {
        return names(job.resolve("inbox")).isEmpty() && names(job.resolve("sent")).isEmpty()
                && names(job.resolve("processed")).size() >= 2 * FILES
                && emulator.exportMessages().size() == EXPORTS
                && emulator.exportMessages().stream().allMatch(m -> m.ackedAt() != null)
                && names(outbox).stream().noneMatch(n -> n.startsWith("."));
    }

    /** A few files every few hundred ms, each written elsewhere and renamed into the inbox, so none is half-written. */
    private static Void drip(Map<String, byte[]> files, Path inbox, Path staging, Random random) throws Exception {
        Files.createDirectories(staging);
        var next = files.entrySet().iterator();
        while (next.hasNext()) {
            for (int n = 1 + random.nextInt(4); n > 0 && next.hasNext(); n--) {
                Map.Entry<String, byte[]> file = next.next();
                Path written = Files.write(staging.resolve(file.getKey()), file.getValue());
                Files.move(written, inbox.resolve(file.getKey()), StandardCopyOption.ATOMIC_MOVE);
            }
            Thread.sleep(250 + random.nextInt(400));
        }
        return null;
    }

    /**
     * Export messages spread over the kills; returns their CorrelationIds with the SHA-256 of each entity file.
     * Distinct seeds give distinct packages: two equal ones would rightly be acked without delivery as a redelivery
     * of the first (duplicateContentWindow).
     */
    private static Map<String, Map<String, String>> publish(D365Emulator emulator, Random random) throws Exception {
        Map<String, Map<String, String>> published = new LinkedHashMap<>();
        for (int i = 0; i < EXPORTS; i++) {
            Thread.sleep(500 + random.nextInt(1500));
            String id = emulator.publishGenerated(CrashFixtures.activity("export"), 2 + random.nextInt(8), 1000L + i);
            // hashed at once: the runner needs a poll, a download and a delivery before its ack deletes the package
            published.put(id, CrashChecks.entityHashes(emulator.exportMessage(id).orElseThrow().bodyPath()));
        }
        return published;
    }

    static List<Path> logs(List<RunnerProcess> runs) {
        return runs.stream().map(RunnerProcess::log).toList();
    }

    static long warnings(List<RunnerProcess> runs) {
        return runs.stream().flatMap(r -> r.lines().stream()).filter(l -> l.contains(CrashChecks.LOG_DUPLICATE))
                .count();
    }

    /** The runners' WARN/ERROR lines and the last runner's tail, for a failure message that shows what happened. */
    static String diagnostics(List<RunnerProcess> runs, Path dir) {
        StringBuilder out = new StringBuilder("Runner logs in " + dir + "\n");
        for (int i = 0; i < runs.size(); i++) {
            List<String> notable = runs.get(i).lines().stream()
                    .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception")).toList();
            out.append("--- runner-").append(i + 1).append(".log: ").append(notable.size()).append(" WARN/ERROR lines")
                    .append(notable.isEmpty() ? "" : ", first ones:\n")
                    .append(notable.stream().limit(15).collect(Collectors.joining("\n"))).append('\n');
        }
        return out.append("--- the last runner's log ends with:\n").append(runs.get(runs.size() - 1).tail(40))
                .toString();
    }

}
