package io.github.rip;

import java.nio.file.Path;

import javax.sql.DataSource;

import io.github.rip.connector.D365Client;
import io.github.rip.connector.D365Environments;
import io.github.rip.exporting.ExportErrors;
import io.github.rip.exporting.ExportResponses;
import io.github.rip.importing.ImportErrors;
import io.github.rip.importing.ImportStatusMonitor;
import io.github.rip.journal.Database;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ImportArchiveFolders;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.JournalRetention;
import io.github.rip.journal.JournalSchema;
import io.github.rip.support.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Wires the runner before the routes are built: the journal database, the D365 environments (each with its TLS trust
 * and token provider; the embedded D365 emulator when no D365 URL is configured, {@link EnvironmentWiring}) and the
 * beans the route templates call.
 */
public class PackConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        io.github.rip.support.ConfigurationCheck.install(context); // before anything opens or starts: says what is wrong
        Settings settings = new Settings(context);
        Path dataDir = Path.of(settings.get("rip.data-dir", "data")).toAbsolutePath();
        io.github.rip.importing.InboxGuard.warnIfNamesCannotBeDecoded();

        String dbUrl = settings.get("rip.db.url", "jdbc:h2:file:" + dataDir.resolve("db/rip"));
        DataSource dataSource = Database.open(dbUrl, settings.get("rip.db.user", "rip"), settings.secret("rip.db.password"));
        JournalSchema.migrate(dataSource);
        // several runners on PostgreSQL: clustered Quartz, database read locks, this runner's node id (docs/scaling.md)
        String nodeId = io.github.rip.cluster.Cluster.install(context, settings, dataSource, dbUrl);
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                // after the routes: in-flight exchanges may still write to the journal while stopping
                ((com.zaxxer.hikari.HikariDataSource) dataSource).close();
            }
        });
        context.getRegistry().bind("ripDataSource", dataSource);
        ImportJournal journal = new ImportJournal(dataSource);
        journal.setNodeId(nodeId);
        context.getRegistry().bind("importJournal", journal);
        // called by journal-retention.camel.yaml at rip.retention.schedule
        context.getRegistry().bind("journalRetention", new JournalRetention(dataSource,
                settings.getInt("rip.retention.days", 90), () -> ImportArchiveFolders.running(context)));

        // the default D365 environment (d365.*, or the embedded emulator) and the named ones (d365.environments.*)
        D365Environments environments = EnvironmentWiring.build(context, settings, dataDir);
        context.getRegistry().bind("d365Client", new D365Client(environments));

        ImportErrors errors = new ImportErrors(environments);
        errors.setFirstBackoff(settings.getDuration("rip.retry.first-backoff", java.time.Duration.ofSeconds(30)));
        errors.setMaxBackoff(settings.getDuration("rip.retry.max-backoff", java.time.Duration.ofMinutes(15)));
        context.getRegistry().bind("importErrors", errors);
        ImportStatusMonitor monitor = new ImportStatusMonitor(journal, environments,
                settings.getDuration("rip.status.overdue-after", java.time.Duration.ofHours(24)),
                settings.getDuration("rip.status.overdue-poll-interval", java.time.Duration.ofMinutes(15)));
        monitor.setBatchSize(settings.getInt("rip.status.batch-size", 100));
        context.getRegistry().bind("importStatus", monitor);

        configureExport(context, dataSource, environments);
        context.getRegistry().lookupByNameAndType("exportJournal", ExportJournal.class).setNodeId(nodeId);
        // dashboard, JSON API, job controls, health checks and metrics (docs/architecture.md, "Operations")
        io.github.rip.operations.Operations.install(context, settings, dataSource, journal,
                context.getRegistry().lookupByNameAndType("exportJournal", ExportJournal.class), environments);
    }

    /** The export path's beans (route template d365-export): its journal, D365 answer handling and error steps. */
    private static void configureExport(CamelContext context, DataSource dataSource, D365Environments environments) {
        context.getRegistry().bind("exportJournal", new ExportJournal(dataSource));
        context.getRegistry().bind("exportResponses", new ExportResponses());
        context.getRegistry().bind("exportErrors", new ExportErrors(environments));
    }
}
