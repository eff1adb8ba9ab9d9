package io.github.rip.journal;

import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

/**
 * The runners sharing this database and whether they are alive, as Quartz's clustered job store sees them (each
 * runner's scheduler checks in every few seconds; its instance id is the runner's node id). A runner alone on H2 only
 * knows itself.
 */
public final class Runners {

    /** Quartz declares a scheduler dead when it missed its check-in by this much. */
    private static final long QUARTZ_GRACE_MILLIS = 7500;

    /** One runner: its node id, when it last checked in, whether it counts as alive, and whether it is this one. */
    public record Runner(String nodeId, Instant lastSeen, boolean alive, boolean self) {
    }

    private final Jdbc jdbc;
    private final String nodeId;
    private final boolean clustered;

    public Runners(DataSource dataSource, String nodeId, boolean clustered) {
        this.jdbc = new Jdbc(dataSource, "Runners");
        this.nodeId = nodeId;
        this.clustered = clustered;
    }

    public String nodeId() {
        return nodeId;
    }

    public boolean clustered() {
        return clustered;
    }

    /** Every runner Quartz knows, alive ones first; a runner that left cleanly is gone from the list. */
    public List<Runner> all() {
        if (!clustered) {
            return List.of(new Runner(nodeId, Instant.now(), true, true));
        }
        long now = System.currentTimeMillis();
        return jdbc.query("SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state "
                + "ORDER BY instance_name", 100, rs -> {
                    String id = rs.getString(1);
                    long lastCheckin = rs.getLong(2);
                    boolean alive = now - lastCheckin <= rs.getLong(3) + QUARTZ_GRACE_MILLIS;
                    return new Runner(id, Instant.ofEpochMilli(lastCheckin), alive, id.equals(nodeId));
                }).stream().sorted((a, b) -> Boolean.compare(b.alive(), a.alive())).toList();
    }
}
