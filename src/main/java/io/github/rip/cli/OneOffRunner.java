package io.github.rip.cli;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.rip.connector.D365Call;
import io.github.rip.connector.D365Environment;
import io.github.rip.connector.D365Environments;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.JournalGrid;
import io.github.rip.operations.JobCatalog;
import io.github.rip.support.StartFailure;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * The runner as a one-off command needs it: the same configuration, D365 environments, jobs and journal as a start
 * ({@code application.properties} or RIP_CONFIG, the environment, the routes folder), with every route created and none
 * started. A command then starts only what it uses: the D365 call routes, and for {@code enqueue} the job's route.
 * Nothing polls, no HTTP server listens; the journal is the real one (with H2, a running runner holds it: stop it
 * first).
 */
final class OneOffRunner implements AutoCloseable {

    private final Main main;
    private final JobCatalog catalog;

    private OneOffRunner(Main main) {
        this.main = main;
        this.catalog = new JobCatalog(main.getCamelContext());
    }

    /**
     * @param configuration  the runner's wiring (PackConfiguration)
     * @param configLocation the properties file as Camel Main takes it ({@code file:application.properties})
     * @param overrides      properties over the file and the environment (tests)
     * @throws CommandProblem when the configuration cannot start, with the lines a start would log
     */
    static OneOffRunner start(Class<? extends CamelConfiguration> configuration, String configLocation,
                              Map<String, String> overrides) {
        Main main = new Main();
        main.configure().addConfiguration(configuration);
        main.setDefaultPropertyPlaceholderLocation(configLocation);
        main.addOverrideProperty("camel.main.auto-startup", "false");
        // no dashboard: a runner may be listening on its port, and a one-off needs none
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        overrides.forEach(main::addOverrideProperty);
        try {
            main.start();
            return new OneOffRunner(main);
        } catch (Exception e) {
            List<String> problems = new java.util.ArrayList<>(StartFailure.describe(e, main.getCamelContext()));
            if (problems.stream().anyMatch(p -> p.contains("The file is locked"))) {
                // H2 lets one process open the journal: the runner holds it while it runs
                problems.add("the journal is in use, most likely by the running runner (an H2 journal is opened by one "
                        + "process at a time): stop the runner first, or drop the file into the inbox and use the "
                        + "dashboard while it runs");
            }
            StartFailure.release(main.getCamelContext());
            stopQuietly(main);
            throw new CommandProblem(problems);
        }
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    /** A job by name; a name no routes file declares is a usage error naming the jobs that exist. */
    JobCatalog.Job job(String name) {
        return catalog.job(name).orElseThrow(() -> new CommandLine.UsageException("no job is named '" + name
                + "'; the jobs are: " + String.join(", ", catalog.jobs().stream().map(JobCatalog.Job::name).toList())));
    }

    List<JobCatalog.Job> jobs() {
        return catalog.jobs();
    }

    D365Environment environment(String jobName) {
        return D365Environments.of(context()).forJob(jobName);
    }

    ImportJournal imports() {
        return context().getRegistry().lookupByNameAndType("importJournal", ImportJournal.class);
    }

    ExportJournal exports() {
        return context().getRegistry().lookupByNameAndType("exportJournal", ExportJournal.class);
    }

    JournalGrid grid() {
        return new JournalGrid(context().getRegistry().lookupByNameAndType("ripDataSource", DataSource.class));
    }

    /** Starts routes by id (those already started are left as they are). */
    void startRoutes(String... routeIds) throws Exception {
        for (String id : routeIds) {
            if (!context().getRouteController().getRouteStatus(id).isStarted()) {
                context().getRouteController().startRoute(id);
            }
        }
    }

    /**
     * One D365 call through the pack's call route, in the job's environment: the same token handling, headers and
     * failure classification as the runner's. The answer's body (text, or the open stream of a download) or the
     * failure is in the returned exchange.
     */
    Exchange call(D365Call call, String jobName) throws Exception {
        startRoutes("d365-call", "d365-request");
        try (ProducerTemplate producer = context().createProducerTemplate()) {
            return producer.send("direct:d365-call", exchange -> {
                exchange.setProperty(D365Call.PROPERTY, call);
                D365Environments.use(exchange, environment(jobName).name());
            });
        }
    }

    @Override
    public void close() {
        StartFailure.release(context());
        stopQuietly(main);
    }

    private static void stopQuietly(Main main) {
        try {
            main.stop();
        } catch (Exception e) {
            // the command's result is already printed
        }
    }

    /** The command cannot do its work: one line per reason (exit code 1). */
    static final class CommandProblem extends RuntimeException {
        private final List<String> problems;

        CommandProblem(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        CommandProblem(String problem) {
            this(List.of(problem));
        }

        List<String> problems() {
            return problems;
        }
    }
}
