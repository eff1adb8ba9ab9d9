package io.github.rip.support;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code java -jar recurring-integrations-pack.jar validate [--online]}: reads application.properties (or RIP_CONFIG,
 * with the environment over it) and the routes files exactly as a start does, prints one line per problem and returns
 * 1, or prints "configuration OK: N jobs" and returns 0. For CI and container builds.
 * <ol>
 * <li>Settings and jobs: every problem at once (bad durations, values, unknown or missing parameters, unknown
 * templates, unset placeholders), without creating anything.</li>
 * <li>Then every job is built as at a start (its beans, stylesheets, target URIs, endpoint options) with
 * {@code auto-startup=false}: no consumer starts, so no file leaves an inbox and no export message is taken. The
 * journal is an empty in-memory database, so validating beside a running pack neither waits for its H2 lock nor changes its
 * journal. Without {@code --online} nothing is contacted: no token, and no embedded emulator (a stand-in URL and
 * secret take their place).</li>
 * <li>{@code --online}: the configured D365 (or the embedded emulator, started as usual) is asked for a token and
 * once about each job's activity ({@link ActivityProbe}).</li>
 * </ol>
 */
public final class ValidateCommand {

    /** Where the offline build points when no d365.base-url is set: it is never called (reserved TLD, RFC 2606). */
    static final String OFFLINE_BASE_URL = "https://embedded-emulator.invalid";

    static final String USAGE = """
            usage: validate [--online]
              checks application.properties (or RIP_CONFIG), the environment and the routes folder as a start would,
              and builds every job without starting it; --online also gets a token and asks D365 about each job
            exit codes: 0 configuration OK, 1 problems (one line each), 2 wrong arguments""";

    private final Class<? extends CamelConfiguration> runnerConfiguration;
    private final String configLocation;
    private final PrintStream out;

    /**
     * @param runnerConfiguration the runner's wiring (PackConfiguration), used for the build
     * @param configLocation      the properties file, as Camel Main takes it ({@code file:application.properties})
     */
    public ValidateCommand(Class<? extends CamelConfiguration> runnerConfiguration, String configLocation,
                           PrintStream out) {
        this.runnerConfiguration = runnerConfiguration;
        this.configLocation = configLocation;
        this.out = out;
    }

    /** @return the process exit code: 0 accepted, 1 problems, 2 wrong arguments */
    public int run(String... args) {
        boolean online = false;
        for (String arg : args) {
            if ("--online".equals(arg)) {
                online = true;
            } else if ("--help".equals(arg) || "-h".equals(arg)) {
                out.println(USAGE);
                return 0;
            } else {
                out.println("unknown argument '" + arg + "'");
                out.println(USAGE);
                return 2;
            }
        }
        // Camel's start-up chatter would bury the result; warnings (e.g. an unset secret) stay
        Configurator.setRootLevel(Level.WARN);
        DeclarationsOnly declarations = new DeclarationsOnly();
        Result declared = checkDeclarations(declarations);
        Result result = declared.problems.isEmpty() ? build(online, declarations) : declared;
        if (!result.problems.isEmpty()) {
            result.problems.forEach(out::println);
            out.println("configuration NOT OK: " + result.problems.size() + " problem(s)");
            return 1;
        }
        out.println("configuration OK: " + result.jobs + " jobs" + (online ? " (token and each job's activity checked"
                + " online)" : ""));
        return 0;
    }

    private record Result(List<String> problems, int jobs) {
    }

    /** Step 1: settings and jobs as declared; the route check reports everything it finds, then nothing is built. */
    private Result checkDeclarations(DeclarationsOnly configuration) {
        Main main = newMain();
        main.configure().addConfiguration(configuration);
        try {
            main.init();
            TemplatedRouteCheck check = TemplatedRouteCheck.of(main.getCamelContext());
            return new Result(List.of(), check == null ? 0 : check.jobs().size());
        } catch (Exception e) {
            // a routes file Camel cannot read fails before the route check: keep the settings' problems then
            LinkedHashSet<String> problems = new LinkedHashSet<>(configuration.settingsProblems);
            problems.addAll(StartFailure.describe(e, main.getCamelContext()));
            return new Result(new ArrayList<>(problems), 0);
        } finally {
            stop(main);
        }
    }

    /** Step 2 (and 3): the runner's own wiring, every route created and none started. */
    private Result build(boolean online, DeclarationsOnly declared) {
        Main main = newMain();
        main.configure().addConfiguration(runnerConfiguration);
        main.addOverrideProperty("camel.main.auto-startup", "false");
        // no HTTP server: validating beside a running pack must not need its port (the dashboard's settings are
        // judged by the settings check)
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        main.addOverrideProperty("rip.db.url", "jdbc:h2:mem:rip-validate-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        if (!online && !declared.baseUrlSet) {
            // with no d365.base-url the runner starts the embedded emulator: offline, it gets a URL nobody answers
            main.addOverrideProperty("d365.base-url", OFFLINE_BASE_URL);
        }
        if (!online && !declared.credentialSet) {
            // CI has no secret; the token provider only needs one to exist, it asks for no token offline
            main.addOverrideProperty("d365.client-secret", "offline-validation-stand-in");
        }
        if (!online) {
            declared.namedWithoutCredential.forEach(name -> main.addOverrideProperty(
                    "d365.environments." + name + ".client-secret", "offline-validation-stand-in"));
        }
        try {
            main.start();
            CamelContext context = main.getCamelContext();
            TemplatedRouteCheck check = TemplatedRouteCheck.of(context);
            List<TemplatedRouteCheck.Job> jobs = check == null ? List.of() : check.jobs();
            List<String> problems = online ? ActivityProbe.probe(context, jobs) : List.of();
            return new Result(problems, jobs.size());
        } catch (Exception e) {
            return new Result(StartFailure.describe(e, main.getCamelContext()), 0);
        } finally {
            StartFailure.release(main.getCamelContext());
            stop(main);
        }
    }

    private Main newMain() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(configLocation);
        return main;
    }

    private static void stop(Main main) {
        try {
            main.stop();
        } catch (Exception e) {
            // the verdict is made; the process ends next
        }
    }

    /** Step 1's only wiring: the checks, collecting instead of stopping at the settings. */
    public static final class DeclarationsOnly implements CamelConfiguration {

        private List<String> settingsProblems = List.of();
        private boolean baseUrlSet;
        private boolean credentialSet;
        /** Named D365 environments with neither secret nor certificate (CI): offline, they get a stand-in. */
        private final List<String> namedWithoutCredential = new ArrayList<>();

        @Override
        public void configure(CamelContext context) {
            settingsProblems = ConfigurationCheck.settingsProblems(context);
            ConfigurationCheck.installRouteCheck(context, settingsProblems);
            Settings settings = new Settings(context);
            baseUrlSet = settings.get("d365.base-url", null) != null;
            try {
                credentialSet = settings.secret("d365.client-secret") != null
                        || settings.get("d365.certificate.path", null) != null;
            } catch (RuntimeException e) {
                credentialSet = true; // a secret file that cannot be read: the build reports it
            }
            for (String name : EnvironmentSettings.names(context)) {
                String prefix = "d365.environments." + name + ".";
                try {
                    if (settings.secret(prefix + "client-secret") == null
                            && settings.get(prefix + "certificate.path", null) == null) {
                        namedWithoutCredential.add(name);
                    }
                } catch (RuntimeException e) {
                    // a secret file that cannot be read: the build reports it
                }
            }
        }
    }
}
