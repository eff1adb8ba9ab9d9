package io.github.rip.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Import throughput (many small files through a file-import job vs a plain HttpClient posting them) and large file
 * (one big file through a runner with a small heap vs {@code curl --data-binary @file}).
 */
final class ImportScenarios {

    /** The shipped customer-groups recurring job (application.properties), known to the benchmark's emulator. */
    static String csvActivity(Bench.Context ctx) {
        return ctx.appProperty("import.customer-groups.activity-id");
    }
    static final String CSV_QUERY = "entity=Customer%20groups&company=usmf";

    private ImportScenarios() {
    }

    /** A file-import job instance for the benchmark (the same shape as routes/customer-groups.camel.yaml). */
    static String fileJob(String jobName, String activityId, String entity, String include, String transform,
                          Path jobFolder) {
        return fileJob(jobName, activityId, entity, include, transform, jobFolder, 1);
    }

    /** The same with {@code maxInFlight} files worked on at a time. */
    static String fileJob(String jobName, String activityId, String entity, String include, String transform,
                          Path jobFolder, int maxInFlight) {
        return "- templatedRoute:\n"
                + "    routeTemplateRef: d365-file-import\n"
                + "    routeId: " + jobName + "\n"
                + "    parameters:\n"
                + param("jobName", jobName) + param("activityId", activityId) + param("entity", entity)
                + param("company", "usmf") + param("jobFolder", jobFolder.toString()) + param("include", include)
                + (transform == null ? "" : param("transform", transform))
                + (maxInFlight == 1 ? "" : param("maxInFlight", Integer.toString(maxInFlight)));
    }

    private static String param(String name, String value) {
        return "      - name: " + name + "\n        value: '" + value.replace("'", "''") + "'\n";
    }

    static List<Table.Row> throughput(Bench.Context ctx) throws Exception {
        int files = ctx.integer("files");
        int kb = ctx.integer("file-kb");
        int parallel = ctx.integer("ceiling-concurrency");
        Path source = ctx.work.resolve("import-files");
        Path warmup = ctx.work.resolve("import-warmup");
        DataGen.smallCsvFiles(source, "f", files, kb);
        DataGen.smallCsvFiles(warmup, "w", ctx.integer("warmup-files"), kb);
        List<Table.Row> rows = new ArrayList<>();
        rows.add(compare(ctx, Table.fmt("import throughput: %d × %d KB → enqueued, journaled, in sent/ (files/s)",
                files, kb), source, warmup, files, 1, ctx.integer("concurrency"), 0.9).row());
        if (parallel > 1) { // --ceiling-concurrency=1 skips the maxInFlight rows (a jar from before maxInFlight)
            rows.add(compare(ctx, Table.fmt("import throughput, maxInFlight %d: %d × %d KB (files/s)", parallel,
                    files, kb), source, warmup, files, parallel, parallel, 0.85).row());
        }
        int latency = ctx.integer("latency-ms");
        if (latency > 0) {
            int n = ctx.integer("latency-files");
            Path few = ctx.work.resolve("import-latency");
            Path fewWarm = ctx.work.resolve("import-latency-warmup");
            DataGen.smallCsvFiles(few, "l", n, kb);
            DataGen.smallCsvFiles(fewWarm, "m", Math.min(100, ctx.integer("warmup-files")), kb);
            ctx.emulator.latency(latency);
            try {
                Comparison one = compare(ctx, Table.fmt("import throughput, %d ms D365-like latency per call: %d × %d KB"
                        + " (files/s)", latency, n, kb), few, fewWarm, n, 1, ctx.integer("concurrency"), 0.9);
                rows.add(one.row());
                if (parallel == 1) {
                    return rows;
                }
                Comparison many = compare(ctx, Table.fmt("import throughput, %d ms latency, maxInFlight %d: %d × %d KB"
                        + " (files/s)", latency, parallel, n, kb), few, fewWarm, n, parallel, parallel, 0.9);
                rows.add(many.row());
                double speedup = Table.median(many.pack()) / Table.median(one.pack());
                rows.add(new Table.Row(Table.fmt("… maxInFlight %d vs one file in flight, %d ms latency (×)", parallel,
                        latency), Table.fmt("%.1f", speedup), "–", Double.NaN, Table.Goal.AT_LEAST, 6, true,
                        speedup, ""));
            } finally {
                ctx.emulator.latency(0);
            }
        }
        return rows;
    }

    /** The medians' row of a comparison, and the pack's own figures (files/s per run). */
    record Comparison(Table.Row row, List<Double> pack) {
    }

    /** Pack and baseline, alternating, {@code repeat} times; one row with the medians. */
    private static Comparison compare(Bench.Context ctx, String label, Path source, Path warmup, int files,
                                      int maxInFlight, int concurrency, double target) throws Exception {
        List<Double> pack = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        List<Double> firstFile = new ArrayList<>();
        String packMem = "";
        String baseMem = "";
        for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
            for (boolean packTurn : rep % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (packTurn) {
                    double[] r = packThroughput(ctx, source, warmup, files, rep, maxInFlight);
                    pack.add(files / r[0]);
                    firstFile.add(r[1]);
                    packMem = Table.mem(r[2], r[3]);
                } else {
                    double[] r = baseline(ctx, "enqueue-baseline", source, warmup, concurrency);
                    base.add(files / r[0]);
                    baseMem = Table.mem(r[1], r[2]);
                }
            }
        }
        System.out.printf("  pack: first file in sent/ after %s s%n", Table.spread(firstFile, "%.2f"));
        return new Comparison(new Table.Row(label, Table.spread(pack, "%.1f"), Table.spread(base, "%.1f")
                + " HttpClient, " + concurrency + " at a time", Table.median(pack) / Table.median(base),
                Table.Goal.AT_LEAST, target, false, 0, Table.mem(packMem, baseMem)), pack);
    }

    /** One baseline run (warm-up, settle, measured pass): seconds, peak heap, peak RSS. */
    static double[] baseline(Bench.Context ctx, String name, Path source, Path warmup, int concurrency)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(source.toString(), csvActivity(ctx), CSV_QUERY,
                Integer.toString(concurrency)));
        if (DataGen.count(warmup, ".csv") > 0) {
            args.add(warmup.toString());
        }
        try (Proc p = Proc.java(ctx, name, List.of(), EnqueueClient.class.getName(), args,
                ctx.emulator.clientEnvironment())) {
            if (args.size() > 4 && p.awaitLine(java.util.regex.Pattern.compile("BENCH-VALUE ready"),
                    Duration.ofMinutes(10)).isEmpty()) {
                throw new IllegalStateException(name + " warm-up failed:\n" + p.tail(20));
            }
            ctx.settle();
            double emulatorCpu = ctx.emulator.proc.cpuSeconds();
            if (args.size() > 4) {
                p.send("go");
            }
            p.awaitSuccess(Duration.ofMinutes(30));
            System.out.printf("  %s run: %.2f s, CPU client %.2f s, emulator %.2f s; TCP connections"
                    + " closed so far: %d%n", name, p.result("postSeconds"), p.result("postCpuSeconds"),
                    ctx.emulator.proc.cpuSeconds() - emulatorCpu, ctx.emulator.closedConnections());
            return new double[] {p.result("postSeconds"), p.result("heapMb"), p.result("rssMb")};
        }
    }

    /**
     * One pack run: a warm-up batch through the same runner (and its status checks), then the measured batch.
     * Returns seconds until all files left the inbox for sent/, until the first one did, the peak heap and RSS.
     */
    private static double[] packThroughput(Bench.Context ctx, Path source, Path warmup, int files, int rep,
                                           int maxInFlight) throws Exception {
        String job = "bench-import";
        Path folder = ctx.work.resolve("runs").resolve("import-" + source.getFileName() + "-" + maxInFlight + "-"
                + rep);
        try (Runner runner = Runner.start(ctx, "import", fileJob(job, csvActivity(ctx), "Customer groups", ".*\\.csv",
                null, folder, maxInFlight), ctx.runnerJvm())) {
            long warm = DataGen.count(warmup, ".csv");
            if (warm > 0) {
                drop(ctx, warmup, folder.resolve("inbox"));
                long deadline = System.nanoTime() + Duration.ofSeconds(120 + warm).toNanos();
                while (archived(folder) < warm) {
                    check(runner, deadline, "sent/ (warm-up)");
                    Thread.sleep(200);
                }
            }
            Path stage = drop(ctx, source, null);
            ctx.settle();
            double runnerCpu = runner.proc.cpuSeconds();
            double emulatorCpu = ctx.emulator.proc.cpuSeconds();
            java.util.Map<String, Double> threadsBefore = runner.proc.threadCpu();
            runner.profile(ctx, "import-" + rep, true);
            long t0 = System.nanoTime();
            DataGen.moveAll(stage, folder.resolve("inbox"));
            double first = Double.NaN;
            long deadline = t0 + Duration.ofSeconds(60 + files).toNanos();
            // the status monitor may already move early files on from sent/ to processed/: count both
            while (archived(folder) - warm < files) {
                if (Double.isNaN(first) && archived(folder) - warm > 0) {
                    first = (System.nanoTime() - t0) / 1e9;
                }
                check(runner, deadline, "sent/");
                Thread.sleep(100);
            }
            double all = (System.nanoTime() - t0) / 1e9;
            runner.profile(ctx, "import-" + rep, false);
            System.out.printf("  pack run: %.2f s, CPU runner %.2f s, emulator %.2f s; TCP connections to the emulator"
                    + " closed so far: %d%n", all, runner.proc.cpuSeconds() - runnerCpu,
                    ctx.emulator.proc.cpuSeconds() - emulatorCpu, ctx.emulator.closedConnections());
            if (ctx.steps) {
                System.out.println("    runner CPU by thread in the measured window (s): " + runner.proc.threadCpu()
                        .entrySet().stream().map(e -> java.util.Map.entry(e.getKey(),
                                e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0.0)))
                        .filter(e -> e.getValue() >= 0.01).sorted(java.util.Map.Entry.<String, Double>comparingByValue()
                                .reversed()).map(e -> e.getKey() + "=" + Table.fmt("%.2f", e.getValue())).toList());
            }
            Runner.JvmStats stats = runner.stats();
            printSteps(ctx, runner, stats);
            return new double[] {all, first, stats.peakHeapMb(), runner.proc.peakRssMb()};
        }
    }

    /**
     * Hard-links the files of {@code source} into a fresh staging folder (they keep their modification time, as a file
     * written elsewhere and renamed into an inbox does); with {@code inbox} given, moves them there at once.
     */
    private static Path drop(Bench.Context ctx, Path source, Path inbox) throws java.io.IOException {
        Path stage = ctx.work.resolve("stage-" + source.getFileName());
        DataGen.deleteTree(stage);
        Files.createDirectories(stage);
        try (var list = Files.list(source)) {
            for (Path f : list.toList()) {
                Files.createLink(stage.resolve(f.getFileName()), f);
            }
        }
        if (inbox != null) {
            DataGen.moveAll(stage, inbox);
        }
        return stage;
    }

    /** Files the job has enqueued and moved out of the inbox (sent/, or already processed/ or failed/). */
    static long archived(Path jobFolder) {
        return DataGen.count(jobFolder.resolve("sent"), ".csv") + DataGen.count(jobFolder.resolve("processed"), ".csv")
                + DataGen.count(jobFolder.resolve("failed"), ".csv");
    }

    static void check(Runner runner, long deadline, String what) {
        if (!runner.proc.alive() || System.nanoTime() > deadline) {
            throw new IllegalStateException("runner " + (runner.proc.alive() ? "too slow" : "died") + " before all files"
                    + " reached " + what + "; see " + runner.proc.log);
        }
    }

    static void printSteps(Bench.Context ctx, Runner runner, Runner.JvmStats stats) {
        if (ctx.steps) {
            System.out.println("    runner CPU by thread (s, since start): " + runner.proc.threadCpu().entrySet().stream()
                    .limit(12).map(e -> e.getKey() + "=" + Table.fmt("%.2f", e.getValue())).toList());
            stats.steps().stream().filter(s -> s.count() > 0).limit(25).forEach(s -> System.out.println("    " + s));
        }
    }
}
