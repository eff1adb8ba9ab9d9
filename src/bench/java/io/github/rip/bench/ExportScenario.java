package io.github.rip.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Export: N generated packages published to the emulator's export queue, then a runner with an export job (folder
 * target, the zip delivered as it is) drains it: dequeue → download → write → ack, vs a plain client making the same
 * calls one after another ({@link ExportClient}). Both start cold (no warm-up): the queue is filled before they start.
 */
final class ExportScenario {

    private ExportScenario() {
    }

    static List<Table.Row> run(Bench.Context ctx) throws Exception {
        int n = ctx.integer("export-messages");
        int rows = ctx.integer("export-rows");
        String activity = ctx.appProperty("export.customer-groups.activity-id");
        List<Double> pack = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        String packMem = "";
        String baseMem = "";
        for (int rep = 0; rep < ctx.integer("repeat"); rep++) {
            for (boolean packTurn : rep % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                publish(ctx, activity, n, rows);
                ctx.settle();
                Path folder = ctx.work.resolve("runs").resolve("export-" + (packTurn ? "pack-" : "base-") + rep);
                if (packTurn) {
                    double[] r = pack(ctx, activity, folder, n);
                    pack.add(n / r[0]);
                    packMem = Table.mem(r[1], r[2]);
                } else {
                    try (Proc p = Proc.java(ctx, "export-baseline", List.of(), ExportClient.class.getName(),
                            List.of(activity, folder.toString()), ctx.emulator.clientEnvironment())) {
                        p.awaitSuccess(Duration.ofMinutes(30));
                        if (p.result("messages") != n) {
                            throw new IllegalStateException("baseline exported " + p.results().get("messages"));
                        }
                        base.add(n / p.result("exportSeconds"));
                        baseMem = Table.mem(p.result("heapMb"), p.result("rssMb"));
                        System.out.printf("  baseline run: %.2f s%n", p.result("exportSeconds"));
                    }
                }
                DataGen.deleteTree(folder);
            }
        }
        String label = Table.fmt("export: %d packages (%d rows) dequeued → downloaded → written → acked (msg/s)",
                n, rows);
        return List.of(new Table.Row(label, Table.spread(pack, "%.1f"), Table.spread(base, "%.1f")
                + " HttpClient, sequential", Table.median(pack) / Table.median(base), Table.Goal.AT_LEAST, 0.9, false,
                0, Table.mem(packMem, baseMem)));
    }

    /** Seconds from "routes started" (the first poll fires then) to the last ack; peak heap; peak RSS. */
    private static double[] pack(Bench.Context ctx, String activity, Path folder, int n) throws Exception {
        String job = "- templatedRoute:\n"
                + "    routeTemplateRef: d365-export\n"
                + "    routeId: bench-export\n"
                + "    parameters:\n"
                + "      - {name: jobName, value: bench-export}\n"
                + "      - {name: activityId, value: '" + activity + "'}\n"
                + "      - {name: jobFolder, value: '" + folder + "'}\n"
                + "      - {name: target, value: 'file:" + folder.resolve("outbox") + "'}\n"
                + "      - {name: pollInterval, value: '1000'}\n"
                // one poll drains the queue: the benchmark measures the pipeline, not the schedule (default 50)
                + "      - {name: maxMessagesPerPoll, value: '" + (n + 100) + "'}\n";
        try (Runner runner = Runner.start(ctx, "export", job, ctx.runnerJvm())) {
            long t0 = System.nanoTime();
            runner.profile(ctx, "export", true);
            Pattern acked = Pattern.compile("bench-export: message \\S+ acknowledged");
            long deadline = t0 + Duration.ofSeconds(120 + n).toNanos();
            while (runner.proc.lines().stream().filter(l -> acked.matcher(l).find()).count() < n) {
                ImportScenarios.check(runner, deadline, "acknowledged (export)");
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            runner.profile(ctx, "export", false);
            long files = DataGen.count(folder.resolve("outbox"), ".zip");
            System.out.printf("  pack run: %.2f s, %d files in the target folder%n", seconds, files);
            Runner.JvmStats stats = runner.stats();
            ImportScenarios.printSteps(ctx, runner, stats);
            return new double[] {seconds, stats.peakHeapMb(), runner.proc.peakRssMb()};
        }
    }

    /** Publishes {@code n} generated packages through the emulator's admin endpoint. */
    private static void publish(Bench.Context ctx, String activity, int n, int rows) throws Exception {
        D365Client client = ctx.emulator.client();
        String bearer = "Bearer " + client.token();
        URI uri = URI.create(client.baseUrl + "/admin/exports/" + activity + "/publish?rows=" + rows);
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = client.http.send(HttpRequest.newBuilder(uri).header("Authorization", bearer)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("publish: HTTP " + r.statusCode() + " " + r.body());
            }
        }
    }
}
