package io.github.rip.support;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

import org.apache.camel.util.StringHelper;

/** "Did you mean …?": the known name closest to a misspelt one, if it is close enough to be meant. */
public final class Suggestions {

    private Suggestions() {
    }

    public static Optional<String> closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(normalized(name), normalized(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // a third of the name may be wrong (two letters at least): actvityId, duplicatPolicy, d365-file-imprt
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** " (did you mean activityId?)" or "". */
    public static String didYouMean(String name, Collection<String> known) {
        return closest(name, known).map(s -> " (did you mean " + s + "?)").orElse("");
    }

    /** Case and dash-case do not count as differences: read-lock-min-age is readLockMinAge misspelt by zero letters. */
    private static String normalized(String name) {
        return StringHelper.dashToCamelCase(name).toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
