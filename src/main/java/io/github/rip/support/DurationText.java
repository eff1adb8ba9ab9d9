package io.github.rip.support;

import java.time.Duration;

/**
 * Durations in log lines and reports written the way the settings are (1d2h, 15m, 30s, 500ms), not as PT15M: always
 * in the syntax {@link Durations} reads, so a value can be copied from a log into a setting. Above a second, the
 * milliseconds are left out.
 */
public final class DurationText {

    private DurationText() {
    }

    public static String of(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return "0s";
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        append(text, duration.toDaysPart(), "d");
        append(text, duration.toHoursPart(), "h");
        append(text, duration.toMinutesPart(), "m");
        append(text, duration.toSecondsPart(), "s");
        return text.toString();
    }

    private static void append(StringBuilder text, long value, String unit) {
        if (value > 0) {
            text.append(value).append(unit);
        }
    }
}
