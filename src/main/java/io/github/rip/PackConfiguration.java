package io.github.rip;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import javax.sql.DataSource;

import io.github.rip.auth.AuthStatus;
import io.github.rip.auth.D365TokenProvider;
import io.github.rip.auth.TlsTrust;
import io.github.rip.connector.D365Client;
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
import io.github.rip.support.EmbeddedD365;
import io.github.rip.support.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the runner before the routes are built: the journal database, the embedded D365 emulator when no D365 URL is
 * configured, TLS trust, the token provider and the beans the route templates call.
 */
public class PackConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PackConfiguration.class);

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

        String clientId = settings.get("d365.client-id", null);
        String secret = settings.secret("d365.client-secret");
        String certificate = settings.get("d365.certificate.path", null);
        String baseUrl = settings.get("d365.base-url", null);
        String authority = settings.get("d365.authority", null);
        String trustStore = settings.get("d365.truststore.path", null);
        String trustStorePassword = settings.secret("d365.truststore.password");

        if (baseUrl == null) {
            if (secret == null && certificate == null) {
                // No D365 and no secret: the embedded emulator and the runner share a secret made up for this run.
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            }
            EmbeddedD365.Running emulator = startEmulator(context, settings, dataDir, clientId, secret);
            baseUrl = emulator.baseUrl();
            authority = emulator.authority();
            trustStore = emulator.trustStore().toString();
            trustStorePassword = emulator.trustStorePassword();
            context.getPropertiesComponent().addOverrideProperty("d365.base-url", baseUrl);
            LOG.info("No d365.base-url configured: using the embedded D365 emulator at {}", baseUrl);
        }
        if (authority == null) {
            authority = "https://login.microsoftonline.com/" + settings.get("d365.tenant", "organizations") + "/";
        }

        SSLContext trust = null;
        if (trustStore != null) {
            // camel-http trusts exactly this store (the emulator's certificate, or one the user configured); loaded
            // once: as KeyStoreParameters, Camel loaded the PKCS12 file again for every https endpoint (slow startup)
            X509TrustManager trustManager = TlsTrust.trustManager(Path.of(trustStore), trustStorePassword);
            trust = TlsTrust.sslContext(trustManager);
            TrustManagersParameters trustManagers = new TrustManagersParameters();
            trustManagers.setTrustManager(trustManager);
            SSLContextParameters tls = new SSLContextParameters();
            tls.setTrustManagers(trustManagers);
            context.getComponent("https", HttpComponent.class).setSslContextParameters(tls);
        }
        D365TokenProvider tokens = D365TokenProvider.create(authority, clientId, secret,
                certificate == null ? null : Path.of(certificate), settings.secret("d365.certificate.password"), baseUrl,
                settings.getDuration("d365.token.renew-before", java.time.Duration.ofMinutes(5)), trust);
        tokens.setRetryRefusedAfter(settings.getDuration("d365.token.retry-refused-after",
                java.time.Duration.ofSeconds(30)));
        context.getRegistry().bind("d365Tokens", tokens);
        // read-only view of authentication problems for a health check: d365Auth.problems()
        AuthStatus auth = new AuthStatus(clientId,
                settings.getDuration("rip.auth.problem-reminder", java.time.Duration.ofMinutes(10)));
        context.getRegistry().bind("d365Auth", auth);
        context.getRegistry().bind("d365Client", new D365Client(tokens, auth));

        ImportErrors errors = new ImportErrors(auth);
        errors.setFirstBackoff(settings.getDuration("rip.retry.first-backoff", java.time.Duration.ofSeconds(30)));
        errors.setMaxBackoff(settings.getDuration("rip.retry.max-backoff", java.time.Duration.ofMinutes(15)));
        context.getRegistry().bind("importErrors", errors);
        ImportStatusMonitor monitor = new ImportStatusMonitor(journal, auth,
                settings.getDuration("rip.status.overdue-after", java.time.Duration.ofHours(24)),
                settings.getDuration("rip.status.overdue-poll-interval", java.time.Duration.ofMinutes(15)));
        monitor.setBatchSize(settings.getInt("rip.status.batch-size", 100));
        context.getRegistry().bind("importStatus", monitor);

        configureExport(context, dataSource, auth);
        context.getRegistry().lookupByNameAndType("exportJournal", ExportJournal.class).setNodeId(nodeId);
        // dashboard, JSON API, job controls, health checks and metrics (docs/architecture.md, "Operations")
        io.github.rip.operations.Operations.install(context, settings, dataSource, journal,
                context.getRegistry().lookupByNameAndType("exportJournal", ExportJournal.class), tokens, auth);
    }

    /** The export path's beans (route template d365-export): its journal, D365 answer handling and error steps. */
    private static void configureExport(CamelContext context, DataSource dataSource, AuthStatus auth) {
        context.getRegistry().bind("exportJournal", new ExportJournal(dataSource));
        context.getRegistry().bind("exportResponses", new ExportResponses());
        context.getRegistry().bind("exportErrors", new ExportErrors(auth));
    }

    /** Through {@link EmbeddedD365} only: the pack never imports the emulator. */
    private static EmbeddedD365.Running startEmulator(CamelContext context, Settings settings, Path dataDir,
                                                      String clientId, String secret) throws Exception {
        String location = settings.get("emulator.config", null); // null: the emulator's own emulator.yaml
        EmbeddedD365.Running emulator;
        try (Reader yaml = location == null ? null : new InputStreamReader(
                ResourceHelper.resolveMandatoryResourceAsInputStream(context, location), StandardCharsets.UTF_8)) {
            // the runner's secret (maybe generated for this run) replaces the example one of emulator.yaml for its app
            emulator = EmbeddedD365.find().start(new EmbeddedD365.Options(settings.getInt("emulator.port", 0),
                    dataDir.resolve("emulator"), yaml, context::resolvePropertyPlaceholders,
                    settings.getDuration("emulator.processing-delay", null), clientId, secret));
        }
        context.getRegistry().bind("d365Emulator", emulator);
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                emulator.close();
            }
        });
        return emulator;
    }
}
