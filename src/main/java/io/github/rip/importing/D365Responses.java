package io.github.rip.importing;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the message id out of an enqueue answer, in every shape clients have seen (docs/d365-api.md §1.1). */
public final class D365Responses {

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private D365Responses() {
    }

    /**
     * Normalises a message id: the API answers a quoted JSON string; clients have also seen braces, upper case and,
     * in one third-party note, {"value":"..."}. Returns the lower-case GUID, or the trimmed text if it is no GUID.
     */
    public static String parseMessageId(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        Matcher m = GUID.matcher(body);
        if (m.find()) {
            return m.group().toLowerCase(Locale.ROOT);
        }
        String trimmed = body.trim().replace("\"", "").replace("{", "").replace("}", "").trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** A D365 answer on one line of at most 2,000 characters, for a log line or an exception. */
    static String abbreviate(String body) {
        String oneLine = body.strip();
        return oneLine.length() > 2000 ? oneLine.substring(0, 2000) + " [...]" : oneLine;
    }
}
