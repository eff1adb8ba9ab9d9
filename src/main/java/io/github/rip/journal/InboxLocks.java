package io.github.rip.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.rip.support.Sha256;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide read locks for the inboxes, as a Camel {@link IdempotentRepository}: the file consumer's
 * {@code readLock=idempotent-changed} (and the SFTP inbox) add a file's key before taking it and remove it when done,
 * so of several runners watching one inbox exactly one takes a file at a time. The lock's owner refreshes its locks
 * every quarter of {@code takeoverAfter}; a lock not refreshed for {@code takeoverAfter} belonged to a runner that died
 * and is taken over by the next runner that wants the file.
 *
 * <p>Why not camel-sql's {@code JdbcOrphanLockAwareIdempotentRepository}, which works the same way: its takeover of an
 * orphaned lock is a read followed by an unconditional update, so two runners that both see the lock stale both take
 * it; two runners adding a new key at once end in a primary-key exception instead of "not acquired"; its key column
 * holds 100 characters (an absolute path is longer); and it brings Spring JDBC and Spring transactions. Here every
 * transition is one conditional statement, so of any number of racing runners exactly one wins
 * ({@code InboxLocksTest}).
 */
public final class InboxLocks extends ServiceSupport implements IdempotentRepository, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(InboxLocks.class);

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private final String nodeId;
    private final Duration takeoverAfter;
    /** The keys (hashed) this runner holds, refreshed together in one statement. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private CamelContext camelContext;
    private ScheduledExecutorService refresher;

    public InboxLocks(DataSource dataSource, String nodeId, Duration takeoverAfter) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource, "Inbox locks");
        this.nodeId = nodeId;
        this.takeoverAfter = takeoverAfter;
    }

    /** Takes the lock of {@code key}: true if this runner now holds it (new, or taken over from a dead runner). */
    @Override
    public boolean add(String key) {
        String hash = hash(key);
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO rip_inbox_lock (lock_key, lock_name, node_id, locked_at, refreshed_at) VALUES (?, ?, ?, ?, ?)")) {
            Jdbc.bind(ps, hash, cut(key), nodeId, Jdbc.utc(now), Jdbc.utc(now));
            ps.executeUpdate();
            held.add(hash);
            return true;
        } catch (SQLException e) {
            if (!Jdbc.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new JournalException("Inbox lock of " + key + " failed", e);
            }
        }
        // held by someone: taken over only if its owner stopped refreshing it (one statement, so one runner wins)
        int taken = jdbc.updateCount("UPDATE rip_inbox_lock SET node_id = ?, locked_at = ?, refreshed_at = ? "
                + "WHERE lock_key = ? AND refreshed_at < ?", nodeId, Jdbc.utc(now), Jdbc.utc(now), hash,
                Jdbc.utc(now.minus(takeoverAfter)));
        if (taken == 1) {
            held.add(hash);
            LOG.warn("Took over {}: the runner that held it has not been seen for {} s (it died or lost the database)",
                    key, takeoverAfter.toSeconds());
            return true;
        }
        return false;
    }

    /** Whether a live runner holds the lock of {@code key}. */
    @Override
    public boolean contains(String key) {
        return !jdbc.query("SELECT node_id FROM rip_inbox_lock WHERE lock_key = ? AND refreshed_at >= ?", 1,
                rs -> rs.getString(1), hash(key), Jdbc.utc(Instant.now().minus(takeoverAfter))).isEmpty();
    }

    /** Releases this runner's lock of {@code key} (a lock taken over by another runner meanwhile stays theirs). */
    @Override
    public boolean remove(String key) {
        String hash = hash(key);
        held.remove(hash);
        return jdbc.updateCount("DELETE FROM rip_inbox_lock WHERE lock_key = ? AND node_id = ?", hash, nodeId) > 0;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    /** Releases every lock this runner holds. */
    @Override
    public void clear() {
        held.clear();
        jdbc.update("DELETE FROM rip_inbox_lock WHERE node_id = ?", nodeId);
    }

    /** Tells the others this runner is alive and still working on what it locked: one statement for all its locks. */
    void refresh() {
        if (held.isEmpty()) {
            return;
        }
        try {
            jdbc.update("UPDATE rip_inbox_lock SET refreshed_at = ? WHERE node_id = ?", Jdbc.now(), nodeId);
        } catch (RuntimeException e) {
            LOG.warn("Could not refresh this runner's inbox locks (another runner takes them over after {} s): {}",
                    takeoverAfter.toSeconds(), e.getMessage());
        }
    }

    @Override
    protected void doStart() {
        // locks of an earlier life of this node id (killed, restarted under the same name) are not held by anyone
        clear();
        long every = Math.max(100, takeoverAfter.toMillis() / 4);
        refresher = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "rip-inbox-locks");
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (refresher != null) {
            camelContext.getExecutorServiceManager().shutdownNow(refresher);
            refresher = null;
        }
        try {
            clear();
        } catch (RuntimeException e) {
            LOG.debug("Inbox locks not released at stop (they expire): {}", e.getMessage());
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    private static String hash(String key) {
        return Sha256.ofText(key);
    }

    private static String cut(String key) {
        return key.length() <= 1000 ? key : "..." + key.substring(key.length() - 997);
    }
}
