package io.github.rip.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * The runner under test: {@code java -jar recurring-integrations-pack.jar} in a process of its own, configured like a
 * user would (the shipped application.properties + environment overrides) and pointed at the benchmark's emulator.
 * Its heap and per-step Camel timings are read over JMX (attach API) before it is stopped.
 */
final class Runner implements AutoCloseable {

    /** Camel Main's line once every route has started. */
    private static final Pattern STARTED = Pattern.compile("Apache Camel \\S+ \\(.*\\) started in (\\S+)");
    private static final String[] PROCESSOR_ATTRIBUTES = {"RouteId", "ProcessorId", "ProcessorName",
        "ExchangesCompleted", "TotalProcessingTime", "Uri", "Destination"};

    final Proc proc;
    final Path dataDir;
    final double startupSeconds;
    final String camelStartup;

    private Runner(Proc proc, Path dataDir, double startupSeconds, String camelStartup) {
        this.proc = proc;
        this.dataDir = dataDir;
        this.startupSeconds = startupSeconds;
        this.camelStartup = camelStartup;
    }

    /**
     * Starts a runner whose routes folder holds {@code routesYaml} (or, when null, the shipped routes/ folder) and
     * returns once all routes are started.
     */
    static Runner start(Bench.Context ctx, String name, String routesYaml, List<String> jvmOptions)
            throws IOException, InterruptedException {
        return start(ctx, name, routesYaml, jvmOptions, Map.of());
    }

    /** As above, with settings of this runner only (its node id, the shared database). */
    static Runner start(Bench.Context ctx, String name, String routesYaml, List<String> jvmOptions,
                        Map<String, String> ownEnv) throws IOException, InterruptedException {
        Path dir = ctx.newRunDir(name);
        Path data = dir.resolve("data");
        Path routes = ctx.repo.resolve("routes");
        if (routesYaml != null) {
            routes = Files.createDirectories(dir.resolve("routes"));
            Files.writeString(routes.resolve(name + ".camel.yaml"), routesYaml);
        }
        Map<String, String> env = new LinkedHashMap<>(ctx.emulator.runnerEnvironment());
        env.put("RIP_CONFIG", ctx.repo.resolve("application.properties").toString());
        env.put("RIP_DATA_DIR", data.toString());
        env.put("RIP_ROUTES_DIR", routes.toString());
        env.put("CAMEL_SERVER_PORT", "0"); // the dashboard on any free port: 8080 may be taken on a build machine
        for (String pair : ctx.option("runner-env").split(",")) {
            if (pair.contains("=")) {
                env.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        env.putAll(ownEnv);
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", ctx.jar.toString()));
        Proc proc = Proc.start("runner-" + name, cmd, env, dir, ctx.logFile("runner-" + name));
        var started = proc.awaitLine(STARTED, Duration.ofSeconds(180));
        if (started.isEmpty()) {
            proc.close();
            throw new IllegalStateException("Runner " + name + " did not start:\n" + proc.tail(30));
        }
        return new Runner(proc, data, proc.secondsSinceStart(), started.get().group(1));
    }

    /** An import job's folder under the runner's data folder. */
    Path job(String jobName) {
        return dataDir.resolve("import").resolve(jobName);
    }

    boolean outOfMemory() {
        return proc.findLine(Pattern.compile("OutOfMemoryError")).isPresent();
    }

    /** What the JVM and Camel say about this run (peak heap, current heap, per-processor time). */
    JvmStats stats() {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(proc.pid()));
            String url;
            try {
                url = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
                MBeanServerConnection mbs = connector.getMBeanServerConnection();
                long peak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getPlatformMXBeans(mbs, MemoryPoolMXBean.class)) {
                    if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                        peak += pool.getPeakUsage().getUsed();
                    }
                }
                MemoryMXBean memory = ManagementFactory.getPlatformMXBean(mbs, MemoryMXBean.class);
                long used = memory.getHeapMemoryUsage().getUsed();
                return new JvmStats(peak / 1048576.0, used / 1048576.0, processors(mbs));
            }
        } catch (Exception e) {
            System.err.println("  (no JMX statistics from " + proc.name + ": " + e + ")");
            return new JvmStats(Double.NaN, Double.NaN, List.of());
        }
    }

    private static List<Step> processors(MBeanServerConnection mbs) throws Exception {
        List<Step> steps = new ArrayList<>();
        Set<ObjectName> names = mbs.queryNames(new ObjectName("org.apache.camel:type=processors,*"), null);
        for (ObjectName name : names) {
            Map<String, Object> a = new LinkedHashMap<>();
            AttributeList list = mbs.getAttributes(name, PROCESSOR_ATTRIBUTES);
            for (Object o : list) {
                Attribute attribute = (Attribute) o;
                a.put(attribute.getName(), attribute.getValue());
            }
            Object uri = a.getOrDefault("Uri", a.get("Destination"));
            steps.add(new Step(String.valueOf(a.get("RouteId")), String.valueOf(a.get("ProcessorId")),
                    String.valueOf(a.get("ProcessorName")), uri == null ? "" : uri.toString(),
                    ((Number) a.getOrDefault("ExchangesCompleted", 0L)).longValue(),
                    ((Number) a.getOrDefault("TotalProcessingTime", 0L)).longValue()));
        }
        steps.sort((x, y) -> Long.compare(y.totalMs(), x.totalMs()));
        return steps;
    }

    /** With --profile: a JFR recording (profile settings) of the measured window only, via jcmd. */
    void profile(Bench.Context ctx, String what, boolean start) {
        if (!ctx.profile) {
            return;
        }
        List<String> cmd = start
                ? List.of("jcmd", Long.toString(proc.pid()), "JFR.start", "name=bench", "settings=profile")
                : List.of("jcmd", Long.toString(proc.pid()), "JFR.stop", "name=bench",
                        "filename=" + ctx.work.resolve("profile-" + what + ".jfr"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            if (!start) {
                System.out.println("    JFR recording of the measured window: " + ctx.work.resolve("profile-" + what
                        + ".jfr") + (p.exitValue() == 0 ? "" : " FAILED: " + out.strip()));
            }
        } catch (IOException e) {
            System.out.println("    (jcmd failed: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        proc.stop(Duration.ofSeconds(30));
    }

    /** Heap figures in MB and Camel's per-processor statistics. */
    record JvmStats(double peakHeapMb, double heapUsedMb, List<Step> steps) {

        /** Total milliseconds of the processors matching the predicate. */
        long millis(java.util.function.Predicate<Step> which) {
            return steps.stream().filter(which).mapToLong(Step::totalMs).sum();
        }
    }

    /** One processor's completed exchanges and total time (children included, as Camel counts it). */
    record Step(String route, String id, String name, String uri, long count, long totalMs) {
        @Override
        public String toString() {
            return String.format("%-28s %-10s %-12s %6d × %8.2f ms = %8d ms  %s", route, id, name, count,
                    count == 0 ? 0.0 : (double) totalMs / count, totalMs, uri.length() > 60 ? uri.substring(0, 60) : uri);
        }
    }
}
