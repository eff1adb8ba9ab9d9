package io.github.rip.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.rip.journal.PostgresCluster;

/**
 * Several runners (docs/scaling.md): the same batch of files dropped into one inbox watched by 1, 2, ... runners that
 * share one PostgreSQL (a fresh schema per run) and one job folder, with D365-like latency on every call, where one
 * runner keeps one file in flight and more runners should help. The baseline of each row is the single runner on
 * PostgreSQL, measured in the same run.
 */
final class ClusterScenario {

    private ClusterScenario() {
    }

    static List<Table.Row> run(Bench.Context ctx) throws Exception {
        int files = ctx.integer("cluster-files");
        int maxRunners = ctx.integer("cluster-runners");
        int latency = ctx.integer("latency-ms");
        Path source = ctx.work.resolve("cluster-files");
        DataGen.smallCsvFiles(source, "k", files, ctx.integer("file-kb"));
        List<Table.Row> rows = new ArrayList<>();
        ctx.emulator.latency(latency);
        try (PostgresCluster postgres = PostgresCluster.start()) {
            double single = Double.NaN;
            for (int runners = 1; runners <= maxRunners; runners++) {
                List<Double> rates = new ArrayList<>();
                for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
                    rates.add(files / once(ctx, postgres, source, files, runners, rep));
                }
                double median = Table.median(rates);
                if (runners == 1) {
                    single = median;
                }
                rows.add(new Table.Row(Table.fmt("cluster: %d × %d KB, %d ms latency per D365 call, %d runner(s) on one "
                        + "PostgreSQL (files/s)", files, ctx.integer("file-kb"), latency, runners),
                        Table.spread(rates, "%.1f"), runners == 1 ? "–" : Table.fmt("%.1f one runner", single),
                        runners == 1 ? Double.NaN : median / single, Table.Goal.NONE, 0, false, median, ""));
            }
        } finally {
            ctx.emulator.latency(0);
        }
        return rows;
    }

    /** One batch through {@code count} runners: seconds from the drop until every file left the inbox for sent/. */
    private static double once(Bench.Context ctx, PostgresCluster postgres, Path source, int files, int count, int rep)
            throws Exception {
        // a fresh journal per run: a schema of its own in the cluster's database (its owner may create schemas)
        String schema = "rip_cluster_" + count + "_" + rep;
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = postgres.jdbcUrl() + (postgres.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Path folder = ctx.work.resolve("runs").resolve("cluster-" + count + "-" + rep); // the shared job folder
        String job = ImportScenarios.fileJob("bench-cluster", ImportScenarios.csvActivity(ctx), "Customer groups",
                ".*\\.csv", null, folder);
        List<Runner> runners = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                runners.add(Runner.start(ctx, "cluster-" + count + "-" + i, job, ctx.runnerJvm(), Map.of(
                        "RIP_DB_URL", url, "RIP_DB_USER", postgres.user(), "RIP_DB_PASSWORD", postgres.password(),
                        "RIP_NODE_ID", "runner-" + i)));
            }
            Path stage = ctx.work.resolve("stage-cluster");
            DataGen.deleteTree(stage);
            Files.createDirectories(stage);
            try (var list = Files.list(source)) {
                for (Path f : list.toList()) {
                    Files.createLink(stage.resolve(f.getFileName()), f);
                }
            }
            ctx.settle();
            long t0 = System.nanoTime();
            DataGen.moveAll(stage, folder.resolve("inbox"));
            long deadline = t0 + Duration.ofSeconds(120 + files).toNanos();
            while (ImportScenarios.archived(folder) < files) {
                for (Runner runner : runners) {
                    ImportScenarios.check(runner, deadline, "sent/");
                }
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  %d runner(s): %d files in %.2f s (%.1f files/s)%n", count, files, seconds,
                    files / seconds);
            return seconds;
        } finally {
            for (Runner runner : runners) {
                runner.close();
            }
        }
    }
}
