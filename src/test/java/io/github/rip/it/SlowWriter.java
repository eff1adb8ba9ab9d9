package io.github.rip.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Test fixture: a partner writing a file in pieces (appending one chunk every interval), as a slow copy or upload does. */
final class SlowWriter {

    private SlowWriter() {
    }

    /** Appends content to file in the given number of chunks, one every intervalMillis; returns when all is written. */
    static void write(Path file, byte[] content, int chunks, long intervalMillis) throws Exception {
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        int chunk = content.length / chunks + 1;
        writer.scheduleAtFixedRate(() -> {
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                int from = written.get();
                int to = Math.min(content.length, from + chunk);
                out.write(content, from, to - from);
                written.set(to);
                if (to == content.length) {
                    done.complete(null);
                    throw new IllegalStateException("finished"); // ends the schedule
                }
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        }, 0, intervalMillis, TimeUnit.MILLISECONDS);
        try {
            done.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
    }
}
