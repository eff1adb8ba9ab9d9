package io.github.rip.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A big CSV wrapped into a data package by the pack's PackageBuilder (what a package job's batch goes through) vs
 * plain java.util.zip at the same compression level; each in a JVM of its own ({@link PackageTool}).
 */
final class PackageScenario {

    private PackageScenario() {
    }

    static List<Table.Row> run(Bench.Context ctx) throws Exception {
        int mb = ctx.integer("package-mb");
        Path batch = ctx.work.resolve("package").resolve("batch");
        Path csv = batch.resolve("customer-groups.csv");
        DataGen.csv(csv, (long) mb * 1024 * 1024, 0);
        List<Double> pack = new ArrayList<>();
        List<Double> zip = new ArrayList<>();
        String packMem = "";
        String zipMem = "";
        for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
            for (boolean packTurn : rep % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                Path out = ctx.work.resolve("package").resolve(packTurn ? "pack.zip" : "plain.zip");
                ctx.settle();
                try (Proc p = Proc.java(ctx, packTurn ? "package-pack" : "package-zip", List.of(),
                        PackageTool.class.getName(), List.of(packTurn ? "pack" : "zip",
                                (packTurn ? batch : csv).toString(), out.toString()), java.util.Map.of())) {
                    p.awaitSuccess(Duration.ofMinutes(20));
                    double seconds = p.result("buildSeconds");
                    String mem = Table.mem(p.result("heapMb"), p.result("rssMb"));
                    System.out.printf("  %s: %.2f s, %.1f MB zip%n", packTurn ? "PackageBuilder" : "java.util.zip",
                            seconds, p.result("zipBytes") / 1e6);
                    if (packTurn) {
                        pack.add(seconds);
                        packMem = mem;
                    } else {
                        zip.add(seconds);
                        zipMem = mem;
                    }
                }
                Files.deleteIfExists(out);
            }
        }
        String label = Table.fmt("package build: one %d MB CSV → data package (s)", mb);
        return List.of(new Table.Row(label, Table.spread(pack, "%.2f"), Table.spread(zip, "%.2f")
                + " java.util.zip", Table.median(pack) / Table.median(zip), Table.Goal.AT_MOST, 1.2, false, 0,
                Table.mem(packMem, zipMem)));
    }
}
