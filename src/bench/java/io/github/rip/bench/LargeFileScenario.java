package io.github.rip.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One big file enqueued by a runner started with a small heap ({@code -Xmx128m} by default) vs
 * {@code curl --data-binary @file} to the same endpoint with the emulator's certificate.
 */
final class LargeFileScenario {

    private LargeFileScenario() {
    }

    static List<Table.Row> run(Bench.Context ctx) throws Exception {
        int mb = ctx.integer("large-mb");
        Path source = ctx.work.resolve("large").resolve("big.csv");
        DataGen.csv(source, (long) mb * 1024 * 1024, 0);
        long size = Files.size(source);
        List<Double> pack = new ArrayList<>();
        List<Double> curl = new ArrayList<>();
        String packMem = "";
        String curlMem = "";
        boolean oom = false;
        for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
            for (boolean packTurn : rep % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (packTurn) {
                    double[] r = pack(ctx, source, rep);
                    pack.add(r[0]);
                    oom |= r[3] > 0;
                    packMem = Table.mem(r[1], r[2]);
                } else {
                    double[] r = curl(ctx, source);
                    curl.add(r[0]);
                    curlMem = Table.mem(Double.NaN, r[1]);
                }
            }
        }
        // the same upload by a plain Java client: separates Java's TLS (vs curl's OpenSSL) from the pack's overhead
        Path single = Files.createDirectories(ctx.work.resolve("large").resolve("single"));
        Files.createLink(single.resolve(source.getFileName()), source);
        Path warmDir = Files.createDirectories(ctx.work.resolve("large").resolve("single-warm-up"));
        DataGen.csv(warmDir.resolve("warm-up.csv"), Math.min(Files.size(source) / 4, 256L << 20), 42);
        List<Double> jdk = new ArrayList<>();
        String jdkMem = "";
        for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
            double[] r = ImportScenarios.baseline(ctx, "large-jdk-client", single, warmDir, 1);
            jdk.add(r[0]);
            jdkMem = Table.mem(r[1], r[2]);
        }
        String label = Table.fmt("large file: one %s CSV enqueued, runner at -Xmx%s (s)%s",
                mb % 1024 == 0 ? (mb / 1024) + " GiB" : mb + " MiB", ctx.option("large-xmx"),
                oom ? " — OutOfMemoryError!" : ", no OutOfMemoryError");
        double ratio = Table.median(pack) / Table.median(curl);
        System.out.printf("  %.0f MB/s pack, %.0f MB/s curl%n", size / 1e6 / Table.median(pack),
                size / 1e6 / Table.median(curl));
        return List.of(new Table.Row(label, Table.spread(pack, "%.2f"), Table.spread(curl, "%.2f")
                + (dataBinary(source) ? " curl --data-binary" : " curl -T (streamed)"), oom ? Double.POSITIVE_INFINITY : ratio, Table.Goal.AT_MOST, 1.3, false, 0,
                Table.mem(packMem, curlMem)),
                new Table.Row("large file, the same upload by a plain JDK HttpClient (Java TLS, like the runner) (s)",
                        Table.spread(pack, "%.2f"), Table.spread(jdk, "%.2f") + " JDK HttpClient",
                        Table.median(pack) / Table.median(jdk), Table.Goal.NONE, 0, false, 0,
                        Table.mem(packMem, jdkMem)));
    }

    /** Drop → sent/ in seconds, peak heap, peak RSS, 1 if the runner hit an OutOfMemoryError. */
    private static double[] pack(Bench.Context ctx, Path source, int rep) throws Exception {
        Path folder = ctx.work.resolve("runs").resolve("large-" + rep);
        String job = ImportScenarios.fileJob("bench-large", ImportScenarios.csvActivity(ctx), "Customer groups",
                ".*\\.csv", null, folder);
        try (Runner runner = Runner.start(ctx, "large", job, ctx.runnerJvm("-Xmx" + ctx.option("large-xmx")))) {
            // warm-up: one smaller file first, so the token, the connection and compiled code (TLS encryption runs
            // 3x slower until the JIT has compiled it) are there, as in a runner that has been up for a while
            Path warm = ctx.work.resolve("large").resolve("warm-up.csv");
            DataGen.csv(warm, Math.min(Files.size(source) / 4, 256L << 20), 42);
            Files.createDirectories(folder.resolve("inbox"));
            Files.move(warm, folder.resolve("inbox").resolve(warm.getFileName()));
            long warmDeadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ImportScenarios.archived(folder) < 1) {
                ImportScenarios.check(runner, warmDeadline, "sent/ (warm-up)");
                Thread.sleep(50);
            }
            Path stage = Files.createDirectories(ctx.work.resolve("stage-large"));
            Files.createLink(stage.resolve(source.getFileName()), source);
            ctx.settle();
            runner.profile(ctx, "large-" + rep, true);
            long t0 = System.nanoTime();
            DataGen.moveAll(stage, folder.resolve("inbox"));
            long deadline = t0 + Duration.ofMinutes(20).toNanos();
            while (ImportScenarios.archived(folder) < 2 && !runner.outOfMemory()) {
                ImportScenarios.check(runner, deadline, "sent/");
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            runner.profile(ctx, "large-" + rep, false);
            boolean oom = runner.outOfMemory();
            Runner.JvmStats stats = runner.stats();
            System.out.printf("  pack run: %.2f s (job's beans: claim incl. SHA-256, journal, move %.2f s; enqueue requests"
                    + " of the warm-up file and the big one %.2f s)%s%n", seconds,
                    stats.millis(s -> s.route().equals("bench-large") && s.name().equals("bean")) / 1000.0,
                    stats.millis(s -> s.uri().contains("/api/connector/enqueue")) / 1000.0,
                    oom ? " OutOfMemoryError" : "");
            ImportScenarios.printSteps(ctx, runner, stats);
            return new double[] {seconds, stats.peakHeapMb(), runner.proc.peakRssMb(), oom ? 1 : 0};
        }
    }

    /**
     * curl reads a {@code --data-binary @file} into memory and refuses files of 1 GiB or more ("out of memory", its
     * MAX_FILE2MEMORY); those are sent with {@code -T file -X POST}, which streams the same bytes with Content-Length.
     */
    static boolean dataBinary(Path source) throws java.io.IOException {
        return Files.size(source) < (1L << 30);
    }

    /** curl's wall time (reading the file included, as the command does it) and its peak RSS. */
    private static double[] curl(Bench.Context ctx, Path source) throws Exception {
        Path headers = ctx.work.resolve("curl-headers.txt");
        Files.writeString(headers, "Authorization: Bearer " + ctx.emulator.client().token() + "\n"
                + "x-ms-dyn-externalidentifier: " + source.getFileName() + "\n"
                + "Content-Type: application/octet-stream\n");
        String url = ctx.emulator.baseUrl + "/api/connector/enqueue/" + ImportScenarios.csvActivity(ctx) + "?"
                + ImportScenarios.CSV_QUERY;
        ctx.settle();
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--fail", "-o", "/dev/null", "-w",
                "BENCH-VALUE http=%{http_code} curlSeconds=%{time_total}\\n", "--cacert",
                ctx.emulator.certificatePem.toString(), "-H", "@" + headers));
        cmd.addAll(dataBinary(source) ? List.of("--data-binary", "@" + source) : List.of("-T", source.toString(), "-X",
                "POST"));
        cmd.add(url);
        try (Proc p = Proc.start("curl", cmd, java.util.Map.of(), ctx.work, ctx.logFile("curl"))) {
            p.awaitSuccess(Duration.ofMinutes(20));
            double seconds = p.secondsSinceStart();
            if (p.result("http") != 200) {
                throw new IllegalStateException("curl got HTTP " + p.results().get("http"));
            }
            System.out.printf("  curl run: %.2f s (transfer %.2f s)%n", seconds, p.result("curlSeconds"));
            return new double[] {seconds, p.peakRssMb()};
        } finally {
            Files.deleteIfExists(headers);
        }
    }
}
