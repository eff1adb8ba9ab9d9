package io.github.rip.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark harness (src/bench/run.sh): starts the D365 emulator and, per scenario, a fresh runner as processes
 * of their own, runs the pack and its plain baseline against the same emulator in the same run, and prints one table.
 * Options: {@code --quick} | {@code --full} (default) presets, then any size as {@code --name=value} (see
 * {@link #DEFAULTS}), {@code --scenarios=import,large,package,xslt,export,footprint} (and, on request, {@code cluster}, {@code grid}), {@code --repeat=N},
 * {@code --work=DIR}, {@code --keep}, {@code --emulator-jar=JAR} (another build for the emulator, for A/B runs), {@code --markdown=FILE}, {@code --steps} (print Camel per-step timings and CPU
 * per thread), {@code --profile} (JFR recording of each runner's measured window, kept in the work folder).
 */
public final class Bench {

    /** Full-run sizes (the issue's); --quick scales them down; any can be overridden. */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    static final Map<String, String> QUICK = Map.of("files", "200", "large-mb", "64", "package-mb", "32",
            "xslt-mb", "8", "export-messages", "40", "idle-seconds", "5", "warmup-files", "100",
            "latency-files", "60", "cluster-files", "150", "grid-rows", "10000");

    static {
        DEFAULTS.put("scenarios", "import,large,package,xslt,export,footprint");
        DEFAULTS.put("files", "2000");             // import throughput: files …
        DEFAULTS.put("file-kb", "10");             // … of this size
        DEFAULTS.put("warmup-files", "300");       // sent through the same runner / client first, untimed (JIT)
        DEFAULTS.put("concurrency", "1");          // the pack's file consumer is one thread per job: so is the baseline
        DEFAULTS.put("ceiling-concurrency", "8");  // parallel posts measuring the emulator's own ceiling
        DEFAULTS.put("latency-ms", "50");          // import again with this latency added to each D365 call (0 = skip)
        DEFAULTS.put("latency-files", "400");      // … with this many files
        DEFAULTS.put("large-mb", "1024");          // large file
        DEFAULTS.put("large-xmx", "128m");         // the runner's heap for the large file
        DEFAULTS.put("package-mb", "500");         // package build: CSV size
        DEFAULTS.put("xslt-mb", "100");            // XSLT input size
        DEFAULTS.put("export-messages", "500");    // export: messages …
        DEFAULTS.put("export-rows", "100");        // … of this many rows per entity
        DEFAULTS.put("idle-seconds", "60");        // footprint: idle time before RSS is read
        DEFAULTS.put("cds", "true");               // footprint: also with an AppCDS archive (information)
        DEFAULTS.put("cluster-files", "600");      // cluster: files through 1, 2, 3 runners on one PostgreSQL
        DEFAULTS.put("cluster-runners", "3");      // … up to this many runners
        DEFAULTS.put("grid-rows", "100000");       // grid: import and export journal rows of one job
        DEFAULTS.put("repeat", "1");               // runs of each pack/baseline pair; the table shows medians
        DEFAULTS.put("runner-opts", "");           // extra JVM options of every runner, e.g. -XX:StartFlightRecording
        DEFAULTS.put("runner-env", "");            // extra settings of every runner, e.g. RIP_STATUS_POLL_INTERVAL=60000
        DEFAULTS.put("emulator-opts", "");         // extra JVM options of the emulator
        DEFAULTS.put("processing-delay", "PT24H"); // the emulator's simulated D365 processing (default: none in the run)
    }

    /** What every scenario shares: paths, options, the emulator. */
    static final class Context {
        final Path repo;
        final Path jar;
        Path emulatorJar;
        final Path benchClasses;
        final Path work;
        final Map<String, String> options;
        final boolean steps;
        boolean profile;
        Emulator emulator;
        private final AtomicInteger starts = new AtomicInteger();

        Context(Path repo, Path jar, Path benchClasses, Path work, Map<String, String> options, boolean steps) {
            this.repo = repo;
            this.jar = jar;
            this.benchClasses = benchClasses;
            this.work = work;
            this.options = options;
            this.steps = steps;
        }

        /** A value of the shipped application.properties (e.g. an example job's activity id). */
        String appProperty(String key) {
            java.util.Properties props = new java.util.Properties();
            try (var in = Files.newBufferedReader(repo.resolve("application.properties"))) {
                props.load(in);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String value = props.getProperty(key);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("application.properties has no " + key);
            }
            return value.trim();
        }

        /** JVM options of a runner: the given ones plus --runner-opts. */
        List<String> runnerJvm(String... options) {
            List<String> all = new java.util.ArrayList<>(List.of(options));
            for (String o : option("runner-opts").trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    all.add(o);
                }
            }
            return all;
        }

        int integer(String key) {
            return Integer.parseInt(options.get(key));
        }

        String option(String key) {
            return options.get(key);
        }

        /** A fresh log file per process start. */
        Path logFile(String name) {
            try {
                return Files.createDirectories(work.resolve("logs"))
                        .resolve(String.format("%02d-%s.log", starts.incrementAndGet(), name));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        Path newRunDir(String name) throws IOException {
            return Files.createDirectories(work.resolve("runs").resolve(String.format("%02d-%s", starts.get() + 1, name)));
        }

        /**
         * Lets the emulator finish earlier work and the disk write back what earlier runs wrote (a GiB of dirty pages
         * throttles the next writer), so each measured run starts from the same quiet state.
         */
        void settle() throws InterruptedException {
            try {
                new ProcessBuilder("sync").inheritIO().start().waitFor();
            } catch (IOException e) {
                // no sync command: only the emulator is waited for
            }
            emulator.awaitIdle(Duration.ofMinutes(3));
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        Path repo = Path.of("").toAbsolutePath();
        Path jar = null;
        Path work = null;
        Path markdown = null;
        Path emulatorJar = null;
        boolean keep = false;
        boolean steps = false;
        boolean profile = false;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                options.putAll(QUICK);
            } else if (arg.equals("--full")) {
                options.putAll(DEFAULTS);
            } else if (arg.equals("--keep")) {
                keep = true;
            } else if (arg.equals("--steps")) {
                steps = true;
            } else if (arg.equals("--profile")) {
                profile = true;
            } else if (arg.startsWith("--") && arg.contains("=")) {
                String key = arg.substring(2, arg.indexOf('='));
                String value = arg.substring(arg.indexOf('=') + 1);
                switch (key) {
                    case "jar" -> jar = Path.of(value).toAbsolutePath();
                    case "emulator-jar" -> emulatorJar = Path.of(value).toAbsolutePath();
                    case "work" -> work = Path.of(value).toAbsolutePath();
                    case "markdown" -> markdown = Path.of(value).toAbsolutePath();
                    default -> {
                        if (!options.containsKey(key)) {
                            throw new IllegalArgumentException("Unknown option --" + key + "; known: " + options.keySet());
                        }
                        options.put(key, value);
                    }
                }
            } else {
                throw new IllegalArgumentException("Unknown argument " + arg);
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException("--jar=<recurring-integrations-pack.jar> is required");
        }
        Path classes = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        work = work == null ? Files.createTempDirectory("rip-bench-") : Files.createDirectories(work);
        Context ctx = new Context(repo, jar, classes, work, options, steps);
        ctx.profile = profile;
        ctx.emulatorJar = emulatorJar == null ? jar : emulatorJar;
        System.out.println("Benchmark work folder: " + work + "  options: " + options);

        Table table = new Table();
        try (Emulator emulator = Emulator.start(ctx)) {
            ctx.emulator = emulator;
            System.out.println("Emulator: " + emulator.baseUrl + " (pid " + emulator.proc.pid() + ")");
            for (String scenario : options.get("scenarios").split(",")) {
                System.out.println("\n== " + scenario.trim());
                long t0 = System.nanoTime();
                try {
                    scenario(ctx, scenario.trim()).forEach(table::add);
                } catch (Exception e) {
                    System.out.println("  scenario " + scenario + " FAILED: " + e.getMessage());
                    table.add(new Table.Row(scenario + " (FAILED: " + firstLine(e) + ")", "–", "–", Double.NaN,
                            Table.Goal.NONE, 0, false, 0, "–"));
                }
                System.out.printf("  (%.0f s)%n", (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            if (!keep) {
                DataGen.deleteTree(work);
            }
        }
        System.out.println("\n" + table.text());
        if (markdown != null) {
            Files.writeString(markdown, table.markdown());
            System.out.println("Markdown table written to " + markdown);
        }
    }

    private static List<Table.Row> scenario(Context ctx, String name) throws Exception {
        return switch (name) {
            case "import" -> ImportScenarios.throughput(ctx);
            case "large" -> LargeFileScenario.run(ctx);
            case "package" -> PackageScenario.run(ctx);
            case "xslt" -> XsltScenario.run(ctx);
            case "export" -> ExportScenario.run(ctx);
            case "footprint" -> FootprintScenario.run(ctx);
            case "cluster" -> ClusterScenario.run(ctx);
            case "grid" -> GridScenario.run(ctx);
            default -> throw new IllegalArgumentException("Unknown scenario " + name);
        };
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        return m.lines().findFirst().orElse(m);
    }
}
