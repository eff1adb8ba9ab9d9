package io.github.rip.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A child process of the benchmark (emulator, runner, baseline tool, curl): its log, its memory, its end. */
final class Proc implements AutoCloseable {

    private static final Pattern RESULT = Pattern.compile("^BENCH-\\w+ (.*)$");
    private static final Pattern PAIR = Pattern.compile("([\\w.-]+)=(\\S+)");

    final String name;
    final Path log;
    private final Process process;
    private final long startNanos;
    private volatile long peakRssKb;
    private final Thread sampler;

    private Proc(String name, Process process, Path log, long startNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startNanos = startNanos;
        this.sampler = new Thread(this::sample, "rss-" + name);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts a command with extra environment variables; stdout and stderr go to {@code log}. */
    static Proc start(String name, List<String> command, Map<String, String> env, Path dir, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        try {
            return new Proc(name, pb.start(), log, t0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /** A Java main run by {@link Measured} on the fat jar + bench classes, so it reports its own time and memory. */
    static Proc java(Bench.Context ctx, String name, List<String> jvmOptions, String mainClass, List<String> args,
                     Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", ctx.jar + java.io.File.pathSeparator + ctx.benchClasses, Measured.class.getName(),
                mainClass));
        cmd.addAll(args);
        return start(name, cmd, env, ctx.work, ctx.logFile(name));
    }

    /** Writes a line to the process's standard input. */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Waits for a log line matching the pattern; returns the match or empty on timeout / exit. */
    Optional<Matcher> awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Matcher> m = findLine(pattern);
            if (m.isPresent()) {
                return m;
            }
            if (!process.isAlive()) {
                return findLine(pattern);
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    Optional<Matcher> findLine(Pattern pattern) {
        for (String line : lines()) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    List<String> lines() {
        try {
            return List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code BENCH-VALUE key=value} / {@code BENCH-RESULT key=value} lines a tool printed. */
    Map<String, String> results() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : lines()) {
            Matcher m = RESULT.matcher(line.strip());
            if (m.matches()) {
                Matcher pair = PAIR.matcher(m.group(1));
                while (pair.find()) {
                    out.put(pair.group(1), pair.group(2));
                }
            }
        }
        return out;
    }

    double result(String key) {
        String v = results().get(key);
        if (v == null) {
            throw new IllegalStateException(name + " reported no " + key + "; see " + log);
        }
        return Double.parseDouble(v);
    }

    /** Waits for the end; fails (with the log's tail) on a non-zero exit or timeout. */
    void awaitSuccess(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail(15));
        }
    }

    String tail(int n) {
        List<String> l = lines();
        return String.join("\n", l.subList(Math.max(0, l.size() - n), l.size()));
    }

    /** Current resident set size in MB (from /proc), 0 when gone. */
    double rssMb() {
        return status("VmRSS") / 1024.0;
    }

    /** Peak resident set size in MB: the kernel's high-water mark, or the last one sampled before the exit. */
    double peakRssMb() {
        return Math.max(peakRssKb, status("VmHWM")) / 1024.0;
    }

    /** CPU time (user + system) used so far, in seconds; -1 when gone. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU seconds per thread name (threads of one pool summed, digits dropped), busiest first. */
    Map<String, Double> threadCpu() {
        Map<String, Double> out = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(comm, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // thread ended
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        out.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return 0;
    }

    private void sample() {
        while (process.isAlive()) {
            peakRssKb = Math.max(peakRssKb, status("VmHWM"));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** SIGTERM (a runner shuts down gracefully), then kill after the grace time. Only this process, by its pid. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }
}
