package io.github.rip.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Import baseline: a plain JDK HttpClient posting every file of a folder to {@code /api/connector/enqueue} with a
 * bearer token, {@code concurrency} requests at a time. Usage: {@code EnqueueClient <dir> <activityId> <query>
 * <concurrency> [<warm-up dir>]}: the warm-up files are posted first, untimed (as the runner gets a warm-up batch),
 * then it waits for a line on stdin.
 * Prints {@code files} and {@code postSeconds} (token included, JVM start and warm-up excluded).
 */
public final class EnqueueClient {

    private EnqueueClient() {
    }

    public static void main(String[] args) throws Exception {
        String activityId = args[1];
        String query = args[2];
        int concurrency = Integer.parseInt(args[3]);
        D365Client client = D365Client.fromEnvironment();
        URI uri = URI.create(client.baseUrl + "/api/connector/enqueue/" + activityId + (query.isEmpty() ? "" : "?" + query));
        List<Path> files = files(Path.of(args[0]));
        String bearer = null;
        if (args.length > 4) {
            bearer = "Bearer " + client.token();
            post(client, uri, bearer, files(Path.of(args[4])), concurrency);
            // the harness lets the emulator settle, then says go
            Measured.value("ready", true);
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        }
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos();
        if (bearer == null) {
            bearer = "Bearer " + client.token();
        }
        int total = post(client, uri, bearer, files, concurrency);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Measured.value("files", total);
        Measured.value("bytes", files.stream().mapToLong(f -> f.toFile().length()).sum());
        Measured.value("postSeconds", String.format(java.util.Locale.ROOT, "%.3f", seconds));
        Measured.value("postCpuSeconds", String.format(java.util.Locale.ROOT, "%.3f", (cpuNanos() - cpu0) / 1e9));
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static List<Path> files(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static int post(D365Client client, URI uri, String bearer, List<Path> files, int concurrency)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                int sent = 0;
                for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                    Path file = files.get(i);
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .header("Authorization", bearer)
                            .header("x-ms-dyn-externalidentifier", file.getFileName().toString())
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
                    HttpResponse<String> response = client.http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(file + ": HTTP " + response.statusCode() + " " + response.body());
                    }
                    sent++;
                }
                return sent;
            }));
        }
        int total = 0;
        for (Future<Integer> w : workers) {
            total += w.get();
        }
        pool.shutdown();
        return total;
    }
}
