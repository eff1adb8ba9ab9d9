package io.github.rip.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The D365 emulator, started once in a process of its own ({@link BenchEmulator}: the emulator command plus a latency
 * control) and shared by every scenario and baseline. It is told the benchmark's app registration through the
 * environment (placeholders in bench-emulator.yaml).
 */
final class Emulator implements AutoCloseable {

    static final String CLIENT_ID = "b3e0c6a1-0000-4000-8000-0000000be4c1";
    static final String CLIENT_SECRET = "bench-secret-not-a-real-one";
    static final String TRUST_STORE_PASSWORD = "emulator";

    final Proc proc;
    final String baseUrl;
    final String authority;
    final Path trustStore;
    final Path certificatePem;

    private Emulator(Proc proc, String baseUrl, String authority, Path trustStore, Path certificatePem) {
        this.proc = proc;
        this.baseUrl = baseUrl;
        this.authority = authority;
        this.trustStore = trustStore;
        this.certificatePem = certificatePem;
    }

    static Emulator start(Bench.Context ctx) throws IOException, InterruptedException {
        Path config = ctx.work.resolve("bench-emulator.yaml");
        try (InputStream in = Emulator.class.getResourceAsStream("/bench-emulator.yaml")) {
            Files.copy(in, config);
        }
        Map<String, String> env = new LinkedHashMap<>(Map.of("BENCH_CLIENT_ID", CLIENT_ID, "BENCH_CLIENT_SECRET",
                CLIENT_SECRET, "BENCH_PROCESSING_DELAY", ctx.option("processing-delay")));
        for (String key : List.of("import.customer-groups.activity-id", "import.vendor-groups.activity-id",
                "import.master-data-package.activity-id", "export.customer-groups.activity-id")) {
            env.put(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'), ctx.appProperty(key));
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("java"));
        for (String o : ctx.option("emulator-opts").trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("-cp", ctx.emulatorJar + java.io.File.pathSeparator + ctx.benchClasses,
                BenchEmulator.class.getName(), config.toString(), ctx.work.resolve("emulator").toString()));
        Proc proc = Proc.start("emulator", cmd, env, ctx.work, ctx.logFile("emulator"));
        if (proc.awaitLine(Pattern.compile("Press Ctrl\\+C to stop"), Duration.ofSeconds(60)).isEmpty()) {
            proc.close();
            throw new IllegalStateException("The emulator did not start:\n" + proc.tail(30));
        }
        return new Emulator(proc, value(proc, "base URL"), value(proc, "authority"),
                Path.of(value(proc, "trust store")), Path.of(value(proc, "certificate \\(PEM")));
    }

    private static String value(Proc proc, String label) {
        return proc.findLine(Pattern.compile("^\\s*" + label + "[^:]*:\\s+(\\S+)")).orElseThrow(
                () -> new IllegalStateException("The emulator printed no " + label)).group(1);
    }

    /** Adds {@code ms} of latency to every following enqueue and jobstatus answer (0 = none). */
    void latency(long ms) throws IOException, InterruptedException {
        long before = proc.lines().stream().filter(l -> l.startsWith("BENCH-VALUE latency=")).count();
        proc.send("latency " + ms);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (proc.lines().stream().filter(l -> l.startsWith("BENCH-VALUE latency=")).count() == before) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The emulator did not take the latency setting");
            }
            Thread.sleep(20);
        }
    }

    /** The environment that points a runner at this emulator (README: environment overrides). */
    Map<String, String> runnerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("D365_BASE_URL", baseUrl);
        env.put("D365_AUTHORITY", authority);
        env.put("D365_TRUSTSTORE_PATH", trustStore.toString());
        env.put("D365_TRUSTSTORE_PASSWORD", TRUST_STORE_PASSWORD);
        env.put("D365_CLIENT_ID", CLIENT_ID);
        env.put("D365_CLIENT_SECRET", CLIENT_SECRET);
        return env;
    }

    /** The environment of the baseline tools ({@link D365Client#fromEnvironment()}). */
    Map<String, String> clientEnvironment() {
        return Map.of("BENCH_BASE_URL", baseUrl, "BENCH_AUTHORITY", authority, "BENCH_TRUSTSTORE",
                trustStore.toString(), "BENCH_CLIENT_ID", CLIENT_ID, "BENCH_CLIENT_SECRET", CLIENT_SECRET);
    }

    D365Client client() {
        return new D365Client(baseUrl, authority, trustStore, CLIENT_ID, CLIENT_SECRET);
    }

    /**
     * Waits until the emulator has finished what earlier runs left it (processing big files): its CPU use stays under
     * 5 % of a core for two half-second windows in a row. Every measured run starts from the same quiet state.
     */
    void awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        int quiet = 0;
        double before = proc.cpuSeconds();
        while (quiet < 2 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            double now = proc.cpuSeconds();
            quiet = now - before < 0.025 ? quiet + 1 : 0;
            before = now;
        }
    }

    /** Connections to the emulator's port in TIME_WAIT (closed in the last minute): a client not reusing them shows. */
    long closedConnections() {
        String port = baseUrl.substring(baseUrl.lastIndexOf(':') + 1);
        try {
            Process ss = new ProcessBuilder("ss", "-Htan", "state", "time-wait").redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes());
            ss.waitFor();
            return out.lines().filter(l -> l.contains(":" + port + " ")).count();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        proc.stop(Duration.ofSeconds(15));
    }
}
