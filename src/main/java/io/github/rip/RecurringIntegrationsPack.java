package io.github.rip;

import java.util.Arrays;
import java.util.List;

import io.github.rip.cli.DequeueCommand;
import io.github.rip.cli.EnqueueCommand;
import io.github.rip.cli.PackageCommand;
import io.github.rip.cli.StatusCommand;
import io.github.rip.operations.HashPasswordCommand;
import io.github.rip.support.EmbeddedD365;
import io.github.rip.support.StartFailure;
import io.github.rip.support.ValidateCommand;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the runner: Camel Main with the pack's route templates and the user's routes/ folder.
 * {@code java -jar recurring-integrations-pack.jar emulator ...} starts the D365 emulator alone instead;
 * {@code ... validate [--online]} checks the configuration and exits 0 or 1 ({@link ValidateCommand});
 * {@code ... package build|check} builds or checks a data package locally ({@link PackageCommand});
 * {@code ... hash-password} prints a dashboard password hash ({@link HashPasswordCommand});
 * {@code ... enqueue|status|dequeue} are one-offs against D365 and the journal ({@link EnqueueCommand},
 * {@link StatusCommand}, {@link DequeueCommand}).
 * A start that fails ends the JVM with exit code 1 after one line per problem.
 */
public final class RecurringIntegrationsPack {

    private RecurringIntegrationsPack() {
    }

    static final String USAGE = """
            usage: java -jar recurring-integrations-pack.jar [command]
              (none)     run the pack: the jobs of the routes folder, configured by application.properties
              validate   check the configuration without starting (validate --help)
              package    build or check a data package locally (package --help)
              enqueue    take one file through an import job now and print D365's message id (enqueue --help)
              status     a message's or a job's journal rows and live D365 state (status --help)
              dequeue    take one message of an export job's queue into a folder (dequeue --help)
              hash-password  print a password hash for the dashboard login (rip.dashboard.password-hash)
              emulator   run the D365 emulator alone (emulator --help)
            exit codes: 0 done, 1 failed (one line per problem), 2 wrong arguments""";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && List.of("--help", "-h", "help").contains(args[0])) {
            System.out.println(USAGE);
            return;
        }
        if (args.length > 0 && "emulator".equals(args[0])) {
            EmbeddedD365.find().runAlone(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "package".equals(args[0])) {
            Configurator.setRootLevel(Level.WARN); // the tool's output only (--json must stay parseable)
            System.exit(new PackageCommand(System.out, System.err).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && "hash-password".equals(args[0])) {
            System.exit(HashPasswordCommand.run(System.console(), System.in, System.out));
        }
        if (args.length > 0 && List.of("enqueue", "status", "dequeue").contains(args[0])) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            int exitCode = 1;
            try {
                String config = configLocation();
                exitCode = switch (args[0]) {
                    case "enqueue" -> new EnqueueCommand(PackConfiguration.class, config, System.out).run(rest);
                    case "status" -> new StatusCommand(PackConfiguration.class, config, System.out).run(rest);
                    default -> new DequeueCommand(PackConfiguration.class, config, System.out).run(rest);
                };
            } catch (Throwable e) {
                e.printStackTrace();
            } finally {
                System.exit(exitCode); // the embedded emulator's server thread is no daemon
            }
        }
        if (args.length > 0 && "validate".equals(args[0])) {
            int exitCode = 1;
            try {
                exitCode = new ValidateCommand(PackConfiguration.class, configLocation(), System.out)
                        .run(Arrays.copyOfRange(args, 1, args.length));
            } catch (Throwable e) {
                e.printStackTrace();
            } finally {
                System.exit(exitCode); // --online may have started the emulator, whose server thread is no daemon
            }
        }
        Main main = new Main();
        main.configure().addConfiguration(PackConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation(configLocation());
        try {
            main.run(args);
        } catch (Throwable e) { // an Error too (a class missing from a broken jar): the JVM must not stay behind
            try {
                Logger log = LoggerFactory.getLogger(RecurringIntegrationsPack.class);
                for (String problem : StartFailure.describe(e, main.getCamelContext())) {
                    log.error("Not started: {}", problem);
                }
                // the embedded emulator's server thread is no daemon: without this the JVM would wait for it forever
                StartFailure.release(main.getCamelContext());
            } finally {
                System.exit(1);
            }
        }
    }

    /** application.properties in the working directory, or the file named by RIP_CONFIG. */
    static String configLocation() {
        String file = System.getenv().getOrDefault("RIP_CONFIG", "application.properties");
        return "file:" + file;
    }
}
