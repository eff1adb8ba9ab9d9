package io.github.rip.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;

/**
 * The named D365 environments the settings configure: {@code d365.environments.<name>.base-url}, {@code .client-id},
 * ... in the properties file, or the environment variables Camel maps to them
 * ({@code D365_ENVIRONMENTS_PROD_BASE_URL}). The default environment (the {@code d365.*} settings) is always there and
 * is not listed here. Checked before anything starts: every named environment needs its base URL and client id.
 */
public final class EnvironmentSettings {

    /** Environment names: lower case, so that an environment variable maps back to exactly one name. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final String PREFIX = "d365.environments.";
    private static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX) + "([^.]+)\\..+");
    private static final Pattern VARIABLE = Pattern.compile("D365_ENVIRONMENTS_([A-Z0-9_]+?)_(BASE_URL|TENANT|CLIENT_ID"
            + "|CLIENT_SECRET|CLIENT_SECRET_FILE|AUTHORITY|CERTIFICATE_PATH|TRUSTSTORE_PATH)");

    private EnvironmentSettings() {
    }

    /** The names of the configured named environments, sorted. */
    public static Set<String> names(CamelContext context) {
        return names(context, System.getenv());
    }

    static Set<String> names(CamelContext context, Map<String, String> env) {
        Set<String> names = new TreeSet<>();
        for (String key : context.getPropertiesComponent().loadProperties(k -> k.startsWith(PREFIX)).stringPropertyNames()) {
            Matcher m = KEY.matcher(key);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        env.keySet().forEach(variable -> {
            Matcher m = VARIABLE.matcher(variable);
            if (m.matches()) {
                names.add(m.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        });
        return names;
    }

    /** One line per named environment that cannot work: a bad name, no base URL, no client id. */
    public static List<String> problems(CamelContext context) {
        Settings settings = new Settings(context);
        List<String> problems = new ArrayList<>();
        for (String name : names(context)) {
            if (!NAME.matcher(name).matches()) {
                problems.add(settings.propertiesFiles() + ": d365.environments." + name + ": '" + name + "' is not "
                        + "accepted as an environment name; write lower-case letters, digits and dashes, starting with "
                        + "a letter (e.g. prod, test-eu)");
                continue;
            }
            for (String key : List.of("base-url", "client-id")) {
                String setting = PREFIX + name + "." + key;
                String value = settings.get(setting, null);
                if (value == null) {
                    problems.add(settings.propertiesFiles() + ": " + setting + " is not set; environment '" + name
                            + "' is configured (" + PREFIX + name + ".*) and every environment needs base-url and "
                            + "client-id (or set the environment variable " + Settings.environmentVariable(setting)
                            + ")");
                } else if ("base-url".equals(key) && !value.startsWith("https://") && !value.startsWith("http://")) {
                    problems.add(settings.source(setting) + ": " + setting + ": '" + value + "' is not accepted; write "
                            + "the environment's URL, e.g. https://contoso-test.sandbox.operations.dynamics.com");
                }
            }
        }
        return problems;
    }

    /**
     * Why a job's {@code environment} parameter is refused ("environment: 'prdo' is not …"), or null when it names the
     * default (empty) or a configured environment.
     */
    public static String jobProblem(CamelContext context, String value) {
        String name = value == null ? "" : value.trim();
        if (name.isEmpty()) {
            return null;
        }
        Set<String> names = names(context);
        if (names.contains(name)) {
            return null;
        }
        return "environment: '" + name + "' is not a configured D365 environment" + Suggestions.didYouMean(name, names)
                + "; " + (names.isEmpty() ? "none is configured (d365.environments.<name>.base-url, .client-id, ...)"
                : "write one of: " + String.join(", ", names)) + ", or leave it empty for the default environment "
                + "(d365.base-url)";
    }
}
