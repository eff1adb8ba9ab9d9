package io.github.rip.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of the pack, for application.properties and job parameters alike: a whole number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}), units combined largest first ({@code 1h30m},
 * {@code 1m30s500ms}), or plain digits meaning milliseconds ({@code 1000}, Camel's own convention).
 * <p>
 * It is exactly the part of Camel's {@code TimeUtils} notation that Camel reads correctly: many values go from a job
 * straight into a Camel endpoint ({@code readLockMinAge}, {@code pollDelay}), so the pack must not accept anything
 * Camel would read differently. Camel reads {@code 24H}, {@code 5M}, {@code PT2S} or {@code abc} as 0 without a word;
 * those are refused here, with the fix when there is an obvious one. ISO-8601 is refused for that reason too.
 */
public final class Durations {

    /** What the messages say is accepted. */
    public static final String SYNTAX = "a whole number with a lower-case unit (500ms, 30s, 5m, 2h, 1d), units "
            + "combined largest first (1h30m), or plain digits for milliseconds (1000)";

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** ms before m: "5ms" must not be read as 5 minutes followed by "s". */
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");
    private static final List<String> UNITS_LARGEST_FIRST = List.of("d", "h", "m", "s", "ms");

    private Durations() {
    }

    /**
     * @param text  the value as written
     * @param where what the value is, for the message: a setting ({@code rip.retry.max-backoff}) or a job parameter
     * @throws InvalidConfigurationException naming {@code where}, the value and the accepted syntax
     */
    public static Duration parse(String text, String where) {
        Duration duration = tryParse(text);
        if (duration == null) {
            throw new InvalidConfigurationException(where + ": " + problem(text));
        }
        return duration;
    }

    /** Why the text is refused ("'24H' is not a duration (units are lower case: 24h); write ..."), or null. */
    public static String problem(String text) {
        return tryParse(text) != null ? null : "'" + text + "' is not a duration" + hint(text) + "; write " + SYNTAX;
    }

    /** The duration, or null when the text is not in the pack's syntax (or too large for a Duration in ms). */
    public static Duration tryParse(String text) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        try {
            if (DIGITS.matcher(value).matches()) {
                return Duration.ofMillis(Long.parseLong(value));
            }
            return parseUnits(value);
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static Duration parseUnits(String value) {
        if (value.isEmpty()) {
            return null;
        }
        Matcher part = PART.matcher(value);
        long millis = 0;
        int lastUnit = -1;
        int position = 0;
        while (position < value.length()) {
            part.region(position, value.length());
            if (!part.lookingAt()) {
                return null;
            }
            int unit = UNITS_LARGEST_FIRST.indexOf(part.group(2));
            if (unit <= lastUnit) {
                return null; // 30m1h or 1h1h: surely a slip, and Camel would read it its own way
            }
            lastUnit = unit;
            millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(part.group(1)), unitMillis(unit)));
            position = part.end();
        }
        return Duration.ofMillis(millis);
    }

    private static long unitMillis(int unit) {
        return switch (UNITS_LARGEST_FIRST.get(unit)) {
            case "d" -> 86_400_000L;
            case "h" -> 3_600_000L;
            case "m" -> 60_000L;
            case "s" -> 1_000L;
            default -> 1L;
        };
    }

    /** The likely meaning of a refused value, e.g. " (units are lower case: 24h)", or "". */
    private static String hint(String text) {
        if (text == null || text.isBlank()) {
            return " (it is empty)";
        }
        String value = text.trim();
        Duration lowerCase = tryParse(value.toLowerCase(Locale.ROOT));
        if (lowerCase != null) {
            return " (units are lower case: " + value.toLowerCase(Locale.ROOT) + ")";
        }
        if (value.regionMatches(true, 0, "P", 0, 1)) {
            try {
                Duration iso = Duration.parse(value.toUpperCase(Locale.ROOT));
                String same = DurationText.of(iso);
                return iso.equals(tryParse(same)) ? " (ISO-8601 is not accepted; " + value + " is " + same + ")"
                        : " (ISO-8601 is not accepted)";
            } catch (DateTimeParseException e) {
                return "";
            }
        }
        if (value.contains(" ")) {
            return " (no spaces)";
        }
        return "";
    }
}
