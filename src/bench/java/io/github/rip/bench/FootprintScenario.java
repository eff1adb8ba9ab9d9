package io.github.rip.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The runner as shipped (application.properties and the example jobs of routes/), pointed at the emulator: time from
 * {@code java -jar} to Camel's "started" line (all routes started), then resident memory after an idle period.
 */
final class FootprintScenario {

    private FootprintScenario() {
    }

    static List<Table.Row> run(Bench.Context ctx) throws Exception {
        int idle = ctx.integer("idle-seconds");
        List<Double> startup = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        String mem = "";
        for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
            ctx.settle();
            try (Runner runner = Runner.start(ctx, "footprint", null, ctx.runnerJvm())) {
                startup.add(runner.startupSeconds);
                Thread.sleep(idle * 1000L);
                double now = runner.proc.rssMb();
                rss.add(now);
                Runner.JvmStats stats = runner.stats();
                mem = Table.mem(stats.heapUsedMb(), now);
                System.out.printf("  start → routes started %.2f s (Camel: %s), RSS after %d s idle %.0f MB, heap in use"
                        + " %.0f MB%n", runner.startupSeconds, runner.camelStartup, idle, now, stats.heapUsedMb());
            }
        }
        List<Table.Row> rows = new ArrayList<>(List.of(
                new Table.Row("footprint: java -jar → all routes started (s)", Table.spread(startup, "%.2f"), "–",
                        Double.NaN, Table.Goal.AT_MOST, 3, true, Table.median(startup), "–"),
                new Table.Row(Table.fmt("footprint: RSS after %d s idle (MB)", idle), Table.spread(rss, "%.0f"), "–",
                        Double.NaN, Table.Goal.AT_MOST, 250, true, Table.median(rss), "pack " + mem + " (heap in use)")));
        if (Boolean.parseBoolean(ctx.option("cds"))) {
            rows.add(withClassDataSharing(ctx, idle));
        }
        return rows;
    }

    /**
     * The same with an application class-data-sharing archive (JDK 17: written by one run with
     * -XX:ArchiveClassesAtExit, used with -XX:SharedArchiveFile): a deployment option, shown for information.
     */
    private static Table.Row withClassDataSharing(Bench.Context ctx, int idle) throws Exception {
        java.nio.file.Path archive = ctx.work.resolve("runner-cds.jsa");
        Runner dump = Runner.start(ctx, "cds-dump", null, ctx.runnerJvm("-XX:ArchiveClassesAtExit=" + archive));
        try {
            Thread.sleep(2000);
        } finally {
            dump.close(); // the archive is written when the JVM exits
        }
        List<Double> startup = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
            ctx.settle();
            try (Runner runner = Runner.start(ctx, "footprint-cds", null,
                    ctx.runnerJvm("-XX:SharedArchiveFile=" + archive))) {
                startup.add(runner.startupSeconds);
                Thread.sleep(idle * 1000L);
                rss.add(runner.proc.rssMb());
            }
        }
        System.out.printf("  with AppCDS: start → routes started %s s, RSS after %d s idle %s MB%n",
                Table.spread(startup, "%.2f"), idle, Table.spread(rss, "%.0f"));
        return new Table.Row("footprint with AppCDS archive (deployment option): start (s) / RSS (MB)",
                Table.spread(startup, "%.2f") + " / " + Table.spread(rss, "%.0f"), "–", Double.NaN, Table.Goal.NONE,
                0, true, 0, "–");
    }
}
