package io.github.rip.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A big partner XML through a file-import job's transform (transforms/vendor-groups.xsl, camel-xslt-saxon inside the
 * runner, timed by Camel's own per-step statistics) vs Saxon's command line ({@code net.sf.saxon.Transform}) with the
 * same stylesheet, in a JVM of its own.
 */
final class XsltScenario {

    private XsltScenario() {
    }

    static List<Table.Row> run(Bench.Context ctx) throws Exception {
        int mb = ctx.integer("xslt-mb");
        Path source = ctx.work.resolve("xslt").resolve("vendors.xml");
        DataGen.vendorXml(source, (long) mb * 1024 * 1024);
        double sizeMb = Files.size(source) / 1048576.0;
        Path xsl = ctx.repo.resolve("transforms").resolve("vendor-groups.xsl");
        List<Double> pack = new ArrayList<>();
        List<Double> saxon = new ArrayList<>();
        String packMem = "";
        String saxonMem = "";
        for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
            for (boolean packTurn : rep % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (packTurn) {
                    double[] r = pack(ctx, source, xsl, rep);
                    pack.add(sizeMb / r[0]);
                    packMem = Table.mem(r[1], r[2]);
                } else {
                    ctx.settle();
                    Path out = ctx.work.resolve("xslt").resolve("saxon-out.xml");
                    try (Proc p = Proc.java(ctx, "saxon", List.of(), "net.sf.saxon.Transform",
                            List.of("-s:" + source, "-xsl:" + xsl, "-o:" + out), java.util.Map.of())) {
                        p.awaitSuccess(Duration.ofMinutes(20));
                        saxon.add(sizeMb / p.result("seconds"));
                        saxonMem = Table.mem(p.result("heapMb"), p.result("rssMb"));
                        System.out.printf("  saxon run: %.2f s%n", p.result("seconds"));
                    }
                    Files.deleteIfExists(out);
                }
            }
        }
        String label = Table.fmt("XSLT: %.0f MB XML through the job's transform (MB/s)", sizeMb);
        return List.of(new Table.Row(label, Table.spread(pack, "%.1f"), Table.spread(saxon, "%.1f")
                + " Saxon CLI", Table.median(pack) / Table.median(saxon), Table.Goal.AT_LEAST, 0.9, false, 0,
                Table.mem(packMem, saxonMem)));
    }

    /** The transform step's seconds (Camel's statistics), peak heap, peak RSS; also prints drop → sent/. */
    private static double[] pack(Bench.Context ctx, Path source, Path xsl, int rep) throws Exception {
        Path folder = ctx.work.resolve("runs").resolve("xslt-" + rep);
        String job = ImportScenarios.fileJob("bench-xslt", ctx.appProperty("import.vendor-groups.activity-id"), "Vendor groups", ".*\\.xml",
                xsl.toString(), folder);
        try (Runner runner = Runner.start(ctx, "xslt", job, ctx.runnerJvm())) {
            Path stage = Files.createDirectories(ctx.work.resolve("stage-xslt"));
            Files.createLink(stage.resolve(source.getFileName()), source);
            ctx.settle();
            runner.profile(ctx, "xslt-" + rep, true);
            long t0 = System.nanoTime();
            DataGen.moveAll(stage, folder.resolve("inbox"));
            long deadline = t0 + Duration.ofMinutes(20).toNanos();
            while (DataGen.count(folder.resolve("sent"), ".xml") + DataGen.count(folder.resolve("failed"), ".xml")
                    + DataGen.count(folder.resolve("processed"), ".xml") < 1) {
                ImportScenarios.check(runner, deadline, "sent/");
                Thread.sleep(20);
            }
            double total = (System.nanoTime() - t0) / 1e9;
            runner.profile(ctx, "xslt-" + rep, false);
            if (DataGen.count(folder.resolve("failed"), ".xml") > 0) {
                throw new IllegalStateException("the runner rejected the XML; see " + runner.proc.log);
            }
            Runner.JvmStats stats = runner.stats();
            double transform = stats.millis(s -> s.uri().startsWith("xslt-saxon")) / 1000.0;
            if (transform <= 0) {
                throw new IllegalStateException("no statistics for the xslt-saxon step; see --steps");
            }
            System.out.printf("  pack run: transform %.2f s; drop → sent/ %.2f s (with SHA-256, DOCTYPE check,"
                    + " upload of the result)%n", transform, total);
            ImportScenarios.printSteps(ctx, runner, stats);
            return new double[] {transform, stats.peakHeapMb(), runner.proc.peakRssMb()};
        }
    }
}
