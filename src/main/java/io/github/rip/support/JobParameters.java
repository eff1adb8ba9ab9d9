package io.github.rip.support;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The values the route templates' parameters accept, by parameter name (a name means the same in every template). The
 * start-up check ({@link TemplatedRouteCheck}) and the job settings' setters both read this table, so a value is judged
 * the same way before the job exists and when it is set on it.
 */
public final class JobParameters {

    public static final String DUPLICATE_POLICY = "duplicatePolicy";
    public static final String DUPLICATES = "duplicates";
    public static final String AFTER_IMPORT = "afterImport";
    public static final String STRICT_HOST_KEY_CHECKING = "strictHostKeyChecking";
    public static final String MAX_IN_FLIGHT = "maxInFlight";
    public static final String COMPANY_FROM = "companyFrom";

    private static final Map<String, ValueRule> RULES = Map.ofEntries(
            Map.entry("readLockMinAge", ValueRule.duration()),
            Map.entry("pollDelay", ValueRule.duration()),
            Map.entry("duplicateContentWindow", ValueRule.duration()),
            Map.entry("connectTimeout", ValueRule.duration()),
            Map.entry("timeout", ValueRule.duration()),
            Map.entry("problemReminder", ValueRule.duration()),
            // d365-export hands it to Quartz's trigger.repeatInterval, which reads a plain number only
            Map.entry("pollInterval", ValueRule.milliseconds()),
            Map.entry("allowLinks", ValueRule.bool()),
            Map.entry("unzip", ValueRule.bool()),
            Map.entry("keepPackageFiles", ValueRule.bool()),
            Map.entry("ackWithoutFile", ValueRule.bool()),
            // the package API templates: ImportFromPackage's flags, how long and how often an export is asked about
            Map.entry("execute", ValueRule.bool()),
            Map.entry("overwrite", ValueRule.bool()),
            Map.entry("statusTimeout", ValueRule.duration()),
            Map.entry("statusPollInterval", ValueRule.milliseconds()),
            Map.entry(DUPLICATE_POLICY, ValueRule.oneOf("reject", "allow")),
            Map.entry(DUPLICATES, ValueRule.oneOf("skip", "deliver")),
            Map.entry(AFTER_IMPORT, ValueRule.oneOf("move", "delete")),
            Map.entry(STRICT_HOST_KEY_CHECKING, ValueRule.oneOf("yes", "no")),
            Map.entry("duplicateWindowDays", ValueRule.wholeNumber(0, Integer.MAX_VALUE)),
            Map.entry("maxMessagesPerPoll", ValueRule.wholeNumber(1, Integer.MAX_VALUE)),
            // files of one import job worked on at a time (io.github.rip.importing.ImportWorkers)
            Map.entry(MAX_IN_FLIGHT, ValueRule.wholeNumber(1, 64)),
            Map.entry("port", ValueRule.wholeNumber(1, 65535)),
            Map.entry("include", ValueRule.regex()),
            Map.entry("cron", ValueRule.cron()),
            Map.entry("timeZone", ValueRule.timeZone()),
            Map.entry(COMPANY_FROM, ValueRule.companyFrom()),
            Map.entry("allowedCompanies", ValueRule.legalEntities()));

    private JobParameters() {
    }

    /** The rule of a parameter; empty for free text (names, folders, URIs). */
    public static Optional<ValueRule> rule(String parameter) {
        return Optional.ofNullable(RULES.get(parameter));
    }

    /** "duplicatePolicy: 'rejct' is not accepted; write one of: reject, allow", or null when the value is fine. */
    public static String problem(String parameter, String value) {
        ValueRule rule = RULES.get(parameter);
        String problem = rule == null ? null : rule.problem(value);
        return problem == null ? null : parameter + ": " + problem;
    }

    /** For a setter: the accepted value, trimmed and lower case; else refused naming job, parameter and values. */
    public static String choice(String job, String parameter, String value) {
        check(job, parameter, value);
        return RULES.get(parameter).normalized(value);
    }

    /** For a setter: true or false, nothing else (Camel would refuse "yes" too, without naming the job). */
    public static boolean flag(String job, String parameter, String value) {
        check(job, parameter, value);
        return Boolean.parseBoolean(value.trim());
    }

    /** For a setter: a duration in the pack's syntax ({@link Durations}). */
    public static Duration duration(String job, String parameter, String value) {
        check(job, parameter, value);
        return Durations.tryParse(value);
    }

    /** For a setter: the value, trimmed (empty for none), once its rule accepts it (a cron, a time zone). */
    public static String checked(String job, String parameter, String value) {
        check(job, parameter, value);
        return value == null ? "" : value.trim();
    }

    /**
     * Why a template cannot take a value another template accepts, or null: SFTP and package inboxes have no company
     * subfolders (a package job's subfolders are its batches).
     */
    public static String templateProblem(String template, String parameter, String value) {
        if (!COMPANY_FROM.equals(parameter) || value == null || !value.trim().equalsIgnoreCase("subfolder")) {
            return null;
        }
        return switch (template == null ? "" : template) {
            case "d365-sftp-import" -> "companyFrom: subfolder is not supported for SFTP inboxes; use "
                    + "companyFrom: name:<pattern> or one job per company";
            case "d365-package-import", "d365-package-api-import" -> "companyFrom: subfolder is not supported for "
                    + "package jobs (their subfolders are batches); use companyFrom: name:<pattern> or one job per "
                    + "company";
            default -> null;
        };
    }

    private static void check(String job, String parameter, String value) {
        String problem = problem(parameter, value);
        if (problem == null && !RULES.containsKey(parameter)) {
            throw new IllegalStateException("no rule for the job parameter " + parameter);
        }
        if (problem != null) {
            // the job's name is often not set yet: Camel sets a bean's properties in alphabetical order
            throw new InvalidConfigurationException((job == null ? "" : "job '" + job + "': ") + problem);
        }
    }
}
