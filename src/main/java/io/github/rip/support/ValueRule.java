package io.github.rip.support;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.quartz.CronExpression;

/**
 * What a setting or job parameter accepts, and the words that say so. Choices and booleans ignore case and surrounding
 * blanks; anything else is refused, never read as a default.
 */
public record ValueRule(Kind kind, List<String> accepted, long min, long max) {

    public enum Kind { DURATION, MILLISECONDS, BOOLEAN, CHOICE, WHOLE_NUMBER, REGEX, CRON, TIME_ZONE, COMPANY_FROM,
        LEGAL_ENTITIES }

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** D365's legal entity id (DataAreaId): at most four letters or digits. */
    public static final Pattern LEGAL_ENTITY = Pattern.compile("[A-Za-z0-9]{1,4}");

    public static ValueRule duration() {
        return new ValueRule(Kind.DURATION, List.of(), 0, Long.MAX_VALUE);
    }

    /** Where a Camel option takes only a number (Quartz's repeat interval). */
    public static ValueRule milliseconds() {
        return new ValueRule(Kind.MILLISECONDS, List.of(), 0, Long.MAX_VALUE);
    }

    public static ValueRule bool() {
        return new ValueRule(Kind.BOOLEAN, List.of("true", "false"), 0, 0);
    }

    public static ValueRule oneOf(String... accepted) {
        return new ValueRule(Kind.CHOICE, List.of(accepted), 0, 0);
    }

    public static ValueRule wholeNumber(long min, long max) {
        return new ValueRule(Kind.WHOLE_NUMBER, List.of(), min, max);
    }

    public static ValueRule regex() {
        return new ValueRule(Kind.REGEX, List.of(), 0, 0);
    }

    /** A Quartz cron expression; blank means none. Quartz itself would only complain when the route starts. */
    public static ValueRule cron() {
        return new ValueRule(Kind.CRON, List.of(), 0, 0);
    }

    /** A time zone id such as Europe/Berlin or UTC; blank means the runner's. */
    public static ValueRule timeZone() {
        return new ValueRule(Kind.TIME_ZONE, List.of(), 0, 0);
    }

    /** Where an import job's files get their company: empty, subfolder, or name:&lt;regex with a group company&gt;. */
    public static ValueRule companyFrom() {
        return new ValueRule(Kind.COMPANY_FROM, List.of(), 0, 0);
    }

    /** A comma-separated list of legal entity ids (USMF, DEMF); blank means any. */
    public static ValueRule legalEntities() {
        return new ValueRule(Kind.LEGAL_ENTITIES, List.of(), 0, 0);
    }

    /**
     * Why the value is refused, e.g. "'rejct' is not accepted; write one of: reject, allow"; null when it is fine.
     * Said after the name of the setting or parameter.
     */
    public String problem(String value) {
        String v = value == null ? "" : value.trim();
        return switch (kind) {
            case DURATION -> Durations.problem(value);
            case MILLISECONDS -> DIGITS.matcher(v).matches() && fitsLong(v) ? null : "'" + value + "' is not accepted; "
                    + "write milliseconds as plain digits (30000 = 30 seconds): this option takes no units";
            case BOOLEAN, CHOICE -> accepted.contains(v.toLowerCase(Locale.ROOT)) ? null : "'" + value
                    + "' is not accepted; write " + (kind == Kind.BOOLEAN ? "true or false" : "one of: "
                    + String.join(", ", accepted));
            case WHOLE_NUMBER -> wholeNumberProblem(value, v);
            case REGEX -> regexProblem(v);
            case CRON -> cronProblem(v);
            case TIME_ZONE -> timeZoneProblem(v);
            case COMPANY_FROM -> companyFromProblem(value, v);
            case LEGAL_ENTITIES -> legalEntitiesProblem(v);
        };
    }

    /** A choice or boolean as the pack compares it: trimmed, lower case. */
    public String normalized(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    private String wholeNumberProblem(String value, String v) {
        long number;
        try {
            number = Long.parseLong(v);
        } catch (NumberFormatException e) {
            number = Long.MIN_VALUE;
        }
        if (number >= min && number <= max) {
            return null;
        }
        return "'" + value + "' is not accepted; write a whole number " + (max == Integer.MAX_VALUE
                ? "of at least " + min : "from " + min + " to " + max);
    }

    private static String regexProblem(String v) {
        try {
            Pattern.compile(v);
            return null;
        } catch (PatternSyntaxException e) {
            return "'" + v + "' is not a regular expression (" + e.getDescription() + " near position " + e.getIndex()
                    + ")";
        }
    }

    private static String cronProblem(String v) {
        if (v.isEmpty()) {
            return null;
        }
        try {
            CronExpression.validateExpression(v);
            return null;
        } catch (ParseException e) {
            return "'" + v + "' is not a Quartz cron expression (" + e.getMessage() + "); write seconds minutes hours "
                    + "day-of-month month day-of-week, e.g. 0 0/5 * * * ?";
        }
    }

    private static String timeZoneProblem(String v) {
        if (v.isEmpty()) {
            return null;
        }
        try {
            ZoneId.of(v);
            return null;
        } catch (DateTimeException e) {
            return "'" + v + "' is not a time zone; write a region id such as Europe/Berlin or America/New_York, or UTC";
        }
    }

    private static String companyFromProblem(String value, String v) {
        if (v.isEmpty() || v.equalsIgnoreCase("subfolder")) {
            return null;
        }
        String accepted = "; write subfolder, name:<regular expression with a group (?<company>...)>, or nothing for "
                + "the job's company";
        if (!v.startsWith("name:")) {
            return "'" + value + "' is not accepted" + accepted;
        }
        String regex = v.substring("name:".length());
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return "'" + regex + "' is not a regular expression (" + e.getDescription() + " near position "
                    + e.getIndex() + ")" + accepted;
        }
        if (!regex.contains("(?<company>")) {
            return "'" + regex + "' has no group named company; write the part of the name that is the company as "
                    + "(?<company>...), e.g. name:(?<company>[a-z0-9]{3,4})_.*";
        }
        return null;
    }

    private static String legalEntitiesProblem(String v) {
        if (v.isEmpty()) {
            return null;
        }
        for (String id : v.split(",", -1)) {
            if (!LEGAL_ENTITY.matcher(id.trim()).matches()) {
                return "'" + id.trim() + "' is not a legal entity id; write D365 company ids (up to four letters or "
                        + "digits) separated by commas, e.g. USMF, DEMF, or nothing for any company";
            }
        }
        return null;
    }

    private static boolean fitsLong(String digits) {
        return digits.length() < 19;
    }
}
