package io.github.rip.operations;

import java.net.InetAddress;
import java.net.UnknownHostException;

import javax.sql.DataSource;

import io.github.rip.connector.D365Environment;
import io.github.rip.connector.D365Environments;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.JournalGrid;
import io.github.rip.journal.OperatorJournal;
import io.github.rip.support.InvalidConfigurationException;
import io.github.rip.support.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.model.Model;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the operations side of the runner (see docs/architecture.md, "Operations"): the dashboard and its JSON API
 * (operations-dashboard.camel.yaml, {@link DashboardApi}) behind {@link HttpGuard}, job controls, the health checks
 * journal, d365 and sftp:host:port next to Camel's own (/observe/health), and the pack's metrics next to Camel's route
 * metrics in one Prometheus registry (/observe/metrics). Called by PackConfiguration once the journals and the token
 * provider exist.
 */
public final class Operations {

    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

    private Operations() {
    }

    public static void install(CamelContext context, Settings settings, DataSource dataSource, ImportJournal imports,
                               ExportJournal exports, D365Environments environments) throws Exception {
        DashboardAccess access = DashboardAccess.of(settings); // refuses an open dashboard on a public address
        HttpGuard guard = new HttpGuard(access);
        guard.install(context);
        boolean serverEnabled = "true".equalsIgnoreCase(settings.get("camel.server.enabled", "false"));
        if (!serverEnabled) {
            // no server to serve them: the page and API routes are left out (their consumers would fail to start)
            context.getCamelContextExtension().getContextPlugin(Model.class).setRouteFilterPattern(null,
                    "dashboard-page-*,api-*");
        }
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarting(CamelContext starting) {
                if (serverEnabled && !guard.isInstalled()) {
                    throw new IllegalStateException("The dashboard's access guard could not be put in front of Camel's "
                            + "HTTP server (camel.server.*); refusing to serve the API without it");
                }
            }
        });

        if (serverEnabled) {
            // Camel logs a server that cannot listen (port taken) as a WARN and starts anyway, without dashboard or
            // health: the start is refused instead, before any job polls (the listener runs before the consumers start)
            context.addStartupListener((started, alreadyStarted) -> {
                VertxPlatformHttpServer server = started.hasService(VertxPlatformHttpServer.class);
                // Vert.x keeps the configured port as "actual" after a failed listen; its server base knows better
                if (server != null && (server.getServer() == null || server.getServer()
                        instanceof io.vertx.core.net.impl.TCPServerBase tcp && !tcp.isListening())) {
                    String address = settings.get("camel.server.host", "0.0.0.0") + ":"
                            + settings.get("camel.server.port", "8080");
                    throw new InvalidConfigurationException(settings.source("camel.server.port")
                            + ": camel.server.port: " + address + " cannot be used: the dashboard's HTTP server could "
                            + "not listen there (the WARN above says why; usually another program or runner listens "
                            + "there); stop it, or choose another port (camel.server.port, or CAMEL_SERVER_PORT)");
                }
            });
        }

        OperatorJournal operators = new OperatorJournal(dataSource);
        JobCatalog catalog = new JobCatalog(context);
        JobControls controls = new JobControls(context, catalog, operators);
        context.getRegistry().bind("jobControls", controls); // the d365-export loop asks isRunning(job)
        context.addRoutePolicyFactory(controls.pausedAtStart());
        JobFailures failures = new JobFailures();
        context.getManagementStrategy().addEventNotifier(failures);

        // the registry camel-micrometer-prometheus scrapes on /observe/metrics (Camel Main makes it before this
        // runs); made and bound under Camel's name for it otherwise, so Camel then uses this one
        MeterRegistry registry = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind("metricsRegistry", registry);
        }
        PackMetrics metrics = new PackMetrics(registry, imports, exports, environments);
        imports.setListener(metrics);
        exports.setListener(metrics);
        context.getRegistry().bind("packMetrics", metrics); // d365-import-pipeline counts uploaded bytes

        JournalGrid grid = new JournalGrid(dataSource);
        JobView jobView = new JobView(catalog, controls, failures, grid, environments);
        context.getRegistry().bind("dashboardApi", new DashboardApi(access, catalog, jobView, controls,
                new MessageActions(context, catalog, imports), grid, imports, exports, operators,
                context.getRegistry().lookupByNameAndType("runners", io.github.rip.journal.Runners.class)));
        // health checks: Camel finds HealthCheck beans in the registry (camel.health.*)
        context.getRegistry().bind("ripJournalCheck", new JournalCheck(dataSource));
        // one "d365" check per environment ("d365" for the default, "d365:<name>"), all probed by
        // operations-checks.camel.yaml through d365Checks
        java.time.Duration interval = settings.getDuration("rip.health.d365-check-interval",
                java.time.Duration.ofMinutes(1));
        java.util.List<D365Check> checks = new java.util.ArrayList<>();
        for (D365Environment environment : environments.all()) {
            D365Check check = new D365Check(context, environment, interval);
            checks.add(check);
            context.getRegistry().bind(environment.isDefault() ? "d365Check" : "d365Check-" + environment.name(), check);
        }
        context.getRegistry().bind("d365Checks", new D365Check.All(checks));

        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStartedEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                started(context, settings, access, catalog, controls, failures, metrics);
            }
        });
    }

    /** Once every route exists: the jobs' meters, paused jobs held, one SFTP check per server, the dashboard's URL. */
    private static void started(CamelContext context, Settings settings, DashboardAccess access, JobCatalog catalog,
                                JobControls controls, JobFailures failures, PackMetrics metrics) {
        controls.suspendPausedJobs();
        for (JobCatalog.Job job : catalog.jobs()) {
            metrics.register(job, controls);
            if (!job.isImport()) {
                failures.watchExport(job.routeId());
            }
        }
        for (SftpServerCheck check : SftpServerCheck.of(catalog, failures)) {
            context.getRegistry().bind("ripHealth-" + check.getId(), check);
        }
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        if (server != null) {
            String host = settings.get("camel.server.host", "0.0.0.0");
            String shown = host.equals("0.0.0.0") || host.equals("::") ? localName() : host.contains(":")
                    ? "[" + host + "]" : host;
            LOG.info("Dashboard: http://{}:{}/ ({}); health /observe/health, metrics /observe/metrics", shown,
                    server.getPort(), access.loginRequired() ? "login: " + access.scheme()
                            : "no login: loopback only");
        }
    }

    private static String localName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
