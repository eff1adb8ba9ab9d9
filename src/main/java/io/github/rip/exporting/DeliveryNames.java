package io.github.rip.exporting;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of delivered files from a pattern, e.g. {@code {job}_{timestamp}_{correlationId}.zip}. Placeholders:
 * {@code {job} {activity} {correlationId} {timestamp} {date} {package}} (the message) and {@code {file} {name} {ext}}
 * (the file: full name, name without extension, extension). The timestamp is the message's first dequeue (UTC), so a
 * redelivered message gets the same names and overwrites instead of duplicating. Results are safe file names on any
 * target: no folders, no characters Windows or an SFTP server would reject.
 */
public final class DeliveryNames {

    /** Default for a kept package. */
    public static final String ZIP_PATTERN = "{job}_{timestamp}_{correlationId}.zip";
    /** Default for unzipped entity files. */
    public static final String FILE_PATTERN = "{name}_{timestamp}_{correlationId}.{ext}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final String pattern;
    private final Map<String, String> message;
    private final Set<String> used = new HashSet<>();

    /** Names for the files of one message. */
    public DeliveryNames(String pattern, String job, String activityId, String correlationId, Instant firstDequeue,
                         String packageName) {
        this.pattern = pattern;
        this.message = Map.of("job", job, "activity", activityId, "correlationid", correlationId,
                "timestamp", TIMESTAMP.format(firstDequeue), "date", DATE.format(firstDequeue),
                "package", packageName == null ? "package" : stem(packageName));
    }

    /** Checks that a pattern only uses known placeholders; the message says which are known. */
    public static void validate(String pattern) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (!Set.of("job", "activity", "correlationid", "timestamp", "date", "package", "file", "name", "ext")
                    .contains(key)) {
                throw new IllegalArgumentException("Unknown placeholder {" + m.group(1) + "} in file name pattern '"
                        + pattern + "'; known: {job} {activity} {correlationId} {timestamp} {date} {package} {file} "
                        + "{name} {ext}");
            }
        }
    }

    /** The delivered name of a file (its own name as in the package); unique within the message. */
    public String nameFor(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String name = dot > 0 ? fileName.substring(0, dot) : fileName;
        String ext = dot > 0 ? fileName.substring(dot + 1) : "";
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String value = switch (key) {
                case "file" -> fileName;
                case "name" -> name;
                case "ext" -> ext;
                default -> message.getOrDefault(key, m.group());
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String safe = safe(out.toString().replaceAll("\\.$", ""));
        return unique(safe.isEmpty() ? "file" : safe);
    }

    private String unique(String candidate) {
        String result = candidate;
        int dot = candidate.lastIndexOf('.');
        for (int n = 2; !used.add(result.toLowerCase(Locale.ROOT)); n++) {
            result = dot > 0 ? candidate.substring(0, dot) + "-" + n + candidate.substring(dot) : candidate + "-" + n;
        }
        return result;
    }

    /** Folder separators, characters invalid on Windows and control characters become '_'; no leading dots. */
    static String safe(String name) {
        String cleaned = name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
        return cleaned.replaceFirst("^\\.+", "");
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return safe(dot > 0 ? fileName.substring(0, dot) : fileName);
    }
}
