package io.github.rip.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelConfiguration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * What the one-off commands ({@code enqueue}, {@code status}, {@code dequeue}) share: the arguments checked before
 * anything starts, {@code --help}, {@code --json}, the runner's configuration booted without starting any job
 * ({@link OneOffRunner}), and the exit codes: 0 done, 1 failed (each reason in one line), 2 wrong arguments.
 */
abstract class OneOffCommand {

    private final Class<? extends CamelConfiguration> configuration;
    private final String configLocation;
    private final PrintStream out;
    private final Map<String, String> overrides = new LinkedHashMap<>();

    OneOffCommand(Class<? extends CamelConfiguration> configuration, String configLocation, PrintStream out) {
        this.configuration = configuration;
        this.configLocation = configLocation;
        this.out = out;
    }

    /** A property over the file and the environment, as a test sets it. */
    public OneOffCommand set(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    abstract String usage();

    abstract Set<String> optionsWithValue();

    abstract Set<String> flags();

    /** Checks the arguments ({@link CommandLine.UsageException}) before anything starts. */
    abstract void check(CommandLine line);

    /** The work, with the runner booted. */
    abstract int run(CommandLine line, OneOffRunner runner, Output output) throws Exception;

    /** @return the process exit code: 0 done, 1 failed, 2 wrong arguments */
    public int run(String... args) {
        CommandLine line;
        try {
            line = CommandLine.parse(args, optionsWithValue(), flags());
            if (line.has("--help")) {
                out.println(usage());
                return 0;
            }
            check(line);
        } catch (CommandLine.UsageException e) {
            out.println(e.getMessage());
            out.println(usage());
            return 2;
        }
        boolean json = line.has("--json");
        // the command's output only: Camel's start-up lines would bury it, and --json must stay one parseable object
        Configurator.setRootLevel(json ? Level.OFF : Level.WARN);
        Output output = new Output(out, json);
        try (OneOffRunner runner = OneOffRunner.start(configuration, configLocation, overrides)) {
            return run(line, runner, output);
        } catch (OneOffRunner.CommandProblem e) {
            e.problems().forEach(output::problem);
            return output.finish(false);
        } catch (CommandLine.UsageException e) {
            // a job that does not exist, or not of the kind the command takes: known only once the routes are read
            out.println(e.getMessage());
            out.println(usage());
            return 2;
        } catch (Exception e) {
            output.problem(e.getMessage() == null ? e.toString() : e.getMessage());
            return output.finish(false);
        }
    }
}
