package io.github.rip.sftp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a remote file counts as completely uploaded: its size and modification time, as the server lists them, have
 * not changed for {@code quietMillis}, measured on the runner's own clock across polls.
 *
 * <p>Why not Camel's {@code readLock=changed} with {@code readLockMinAge}: on SFTP that compares the server's mtime
 * with the runner's clock (a server clock a few minutes off takes files early, or late), ignores the size once a
 * minimum age is set, and holds the poll thread while it waits. Here nothing waits: each poll only notes what it saw.
 */
final class UploadStability {

    /** Observations older than this are forgotten (files that disappeared before they were ever taken). */
    private static final long FORGET_AFTER_MILLIS = 24 * 60 * 60 * 1000L;

    private record Seen(long size, long modified, long unchangedSince, long lastSeen) {
    }

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final long quietMillis;
    private long nextCleanup;

    UploadStability(long quietMillis) {
        this.quietMillis = quietMillis;
    }

    /** Notes this listing of the file; true when it has been unchanged for the quiet time. */
    boolean isComplete(String path, long size, long modified, long nowMillis) {
        forgetStale(nowMillis);
        Seen last = seen.get(path);
        if (last == null || last.size() != size || last.modified() != modified) {
            seen.put(path, new Seen(size, modified, nowMillis, nowMillis));
            return quietMillis <= 0;
        }
        seen.put(path, new Seen(size, modified, last.unchangedSince(), nowMillis));
        return nowMillis - last.unchangedSince() >= quietMillis;
    }

    /** The file left the inbox (or changed under our feet): start over if a file of that name shows up again. */
    void forget(String path) {
        seen.remove(path);
    }

    private void forgetStale(long nowMillis) {
        if (nowMillis >= nextCleanup) {
            nextCleanup = nowMillis + 60_000;
            seen.values().removeIf(s -> nowMillis - s.lastSeen() > FORGET_AFTER_MILLIS);
        }
    }
}
