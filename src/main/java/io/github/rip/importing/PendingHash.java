package io.github.rip.importing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import io.github.rip.journal.ImportJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A big file that no file accepted earlier could make a duplicate (no accepted row of the same name in the window)
 * is hashed on another thread while it uploads, instead of in a full read before the upload: for 1 GiB that read
 * took ~0.8 s of a ~6 s enqueue (docs/performance.md). The hash reaches the journal before the file leaves the inbox.
 */
final class PendingHash {

    /** Smaller files are hashed before the upload, as always: the read costs less than a thread hand-over. */
    static final long MIN_SIZE = 32L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(PendingHash.class);
    private static final ExecutorService HASHER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rip-content-hash");
        t.setDaemon(true);
        return t;
    });

    private PendingHash() {
    }

    static void start(ImportFile file, Supplier<String> hash) {
        file.setPendingHash(CompletableFuture.supplyAsync(hash, HASHER));
    }

    /** As {@link #record}, for a file being rejected anyway: a failed hash is only logged. */
    static void recordQuietly(ImportFile file, ImportJournal journal) {
        try {
            record(file, journal);
        } catch (RuntimeException e) {
            LOG.warn("No SHA-256 for journal row {}: {}", file.getJournalId(), e.getMessage());
        }
    }

    /** Waits for the hash started by {@link #start}, if any, and records it in the journal row. */
    static void record(ImportFile file, ImportJournal journal) {
        CompletableFuture<String> pending = file.getPendingHash();
        if (pending == null) {
            return;
        }
        file.setPendingHash(null);
        try {
            journal.contentHash(file.getJournalId(), pending.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
