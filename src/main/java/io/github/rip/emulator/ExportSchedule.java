package io.github.rip.emulator;

import java.time.Duration;

/**
 * Publishes a generated package to an export job at a fixed interval, so a running client keeps receiving messages.
 *
 * @param activityId the export job's activity id (any GUID spelling)
 * @param every      the interval; zero (or null) switches the schedule off, so a config can ship it disabled
 * @param rows       rows per entity in each generated package
 */
public record ExportSchedule(String activityId, Duration every, int rows) {

    public ExportSchedule {
        if (activityId == null || activityId.isBlank()) {
            throw new IllegalArgumentException("An export schedule needs an activityId");
        }
        activityId = Guids.canonical(activityId);
        every = every == null || every.isNegative() ? Duration.ZERO : every;
        if (rows < 0) {
            throw new IllegalArgumentException("Export schedule rows must be 0 or more, got " + rows);
        }
    }

    /** Whether the schedule publishes at all. */
    public boolean enabled() {
        return !every.isZero();
    }
}
