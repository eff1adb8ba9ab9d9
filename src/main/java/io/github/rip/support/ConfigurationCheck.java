package io.github.rip.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;

/**
 * The start refuses a configuration that cannot work, before anything starts, with one line per problem naming the
 * file, the setting or job and parameter, the value and what is accepted: the settings of application.properties here,
 * the jobs of the routes files in {@link TemplatedRouteCheck}.
 */
public final class ConfigurationCheck {

    /**
     * The settings whose values are not free text. Several reach Camel only as placeholders in the route templates,
     * where Camel reads a value it does not understand as 0 (24H, 5M, PT2S), so they are checked here, once, by name.
     */
    private static final Map<String, ValueRule> SETTINGS = settings();

    private ConfigurationCheck() {
    }

    private static Map<String, ValueRule> settings() {
        Map<String, ValueRule> rules = new LinkedHashMap<>();
        for (String key : List.of("d365.token.renew-before", "d365.token.retry-refused-after",
                "rip.auth.problem-reminder", "rip.import.read-lock-min-age", "rip.import.poll-delay", "rip.status.poll-interval",
                "rip.status.overdue-after", "rip.status.overdue-poll-interval", "rip.retry.in-place-delay",
                "rip.retry.first-backoff", "rip.retry.max-backoff", "rip.export.duplicate-content-window",
                "rip.sftp.read-lock-min-age", "rip.sftp.poll-delay", "rip.sftp.connect-timeout", "rip.sftp.timeout",
                "rip.sftp.problem-reminder", "emulator.processing-delay", "rip.health.d365-check-interval",
                "rip.cluster.takeover-after")) {
            rules.put(key, ValueRule.duration());
        }
        // the default of d365-export's pollInterval, which goes to Quartz as a plain number
        rules.put("rip.export.poll-interval", ValueRule.milliseconds());
        rules.put("rip.retry.in-place-attempts", ValueRule.wholeNumber(0, Integer.MAX_VALUE));
        rules.put("rip.status.batch-size", ValueRule.wholeNumber(1, Integer.MAX_VALUE));
        rules.put("rip.export.max-messages-per-poll", ValueRule.wholeNumber(1, Integer.MAX_VALUE));
        rules.put("rip.sftp.backoff-multiplier", ValueRule.wholeNumber(1, Integer.MAX_VALUE));
        rules.put("emulator.port", ValueRule.wholeNumber(0, 65535));
        rules.put("camel.server.port", ValueRule.wholeNumber(0, 65535));
        rules.put("rip.retention.days", ValueRule.wholeNumber(0, Integer.MAX_VALUE));
        rules.put("rip.retention.schedule", ValueRule.cron());
        return rules;
    }

    /**
     * Called first thing when the runner is wired: refuses bad settings at once (before the journal is opened or the
     * emulator started), then has the jobs checked once the routes files are read.
     */
    public static void install(CamelContext context) {
        List<String> problems = settingsProblems(context);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        installRouteCheck(context, List.of());
    }

    /** The route check alone; it reports {@code earlierProblems} together with the jobs' own. */
    public static TemplatedRouteCheck installRouteCheck(CamelContext context, List<String> earlierProblems) {
        TemplatedRouteCheck check = new TemplatedRouteCheck(earlierProblems);
        context.getRegistry().bind(TemplatedRouteCheck.BEAN, check);
        return check;
    }

    /** One line per refused setting, e.g. "application.properties: rip.retry.max-backoff: '15M' is not …". */
    public static List<String> settingsProblems(CamelContext context) {
        Settings settings = new Settings(context);
        List<String> problems = new ArrayList<>();
        SETTINGS.forEach((key, rule) -> {
            String value;
            try {
                value = settings.get(key, null);
            } catch (RuntimeException e) {
                problems.add(settings.source(key) + ": " + key + ": " + e.getMessage());
                return;
            }
            String problem = value == null ? null : rule.problem(value);
            if (problem != null) {
                problems.add(settings.source(key) + ": " + key + ": " + problem);
            }
        });
        // named D365 environments: each needs its base URL and client id
        problems.addAll(EnvironmentSettings.problems(context));
        // the dashboard's login: an open dashboard on a public address, a malformed hash, an unreadable token file
        problems.addAll(io.github.rip.operations.DashboardAccess.problems(settings));
        return problems;
    }

    /** Whether the settings check judges this key (a job parameter defaulting to it need not be judged again). */
    static boolean isCheckedSetting(String key) {
        return key != null && SETTINGS.containsKey(key);
    }
}
