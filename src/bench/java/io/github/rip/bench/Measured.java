package io.github.rip.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs another main class (a baseline such as Saxon's command line, or a bench tool) and prints, when the JVM exits,
 * how long that main ran, the JVM's CPU time, peak heap and peak RSS: {@code BENCH-RESULT seconds=… heapMb=… rssMb=…}.
 */
public final class Measured {

    private Measured() {
    }

    public static void main(String[] args) throws Throwable {
        long t0 = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> report(t0), "bench-report"));
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void report(long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.flush();
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        System.err.printf(java.util.Locale.ROOT, "%nBENCH-RESULT seconds=%.3f cpuSeconds=%.2f heapMb=%.1f rssMb=%.1f%n",
                seconds, cpu, peakHeapMb(), peakRssMb());
        System.err.flush();
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap ever in use (pools peak at different moments). */
    static double peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / 1048576.0;
    }

    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return 0;
    }

    /** Prints one measured value for the harness. */
    static void value(String key, Object value) {
        System.out.println("BENCH-VALUE " + key + "=" + value);
        System.out.flush();
    }
}
