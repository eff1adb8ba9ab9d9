package io.github.rip.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.github.rip.journal.InboxLocks;
import io.github.rip.journal.Runners;
import io.github.rip.support.InvalidConfigurationException;
import io.github.rip.support.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several runners on one database (docs/scaling.md). On PostgreSQL the runner joins a cluster: Camel's Quartz
 * component gets Quartz's clustered JDBC job store (export polls, the status monitor, retention and import crons run
 * on one runner at a time cluster-wide; a dead runner's triggers are recovered by the others after
 * {@code rip.cluster.takeover-after}), and the inboxes' read locks live in the database ({@link InboxLocks}). On H2,
 * the single-runner default, both stay in memory.
 *
 * <p>Beans: {@code ripNodeId} (this runner's name), {@code inboxLocks} (the read locks' repository), {@code runners}
 * (who is alive, for the dashboard).
 */
public final class Cluster {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    /** Quartz's data source name for the journal's pool. */
    private static final String QUARTZ_DATA_SOURCE = "rip-journal";
    /** Quartz adds a fixed grace to the check-in interval before it declares a scheduler dead. */
    private static final Duration QUARTZ_GRACE = Duration.ofMillis(7500);

    private Cluster() {
    }

    /** Wires the runner for its database: clustered on PostgreSQL, alone on H2. Returns the node id. */
    public static String install(CamelContext context, Settings settings, DataSource dataSource, String dbUrl) {
        String nodeId = NodeId.resolve(settings.get("rip.node.id", null), settings.source("rip.node.id"));
        Duration takeoverAfter = settings.getDuration("rip.cluster.takeover-after", Duration.ofSeconds(15));
        Duration checkin = takeoverAfter.minus(QUARTZ_GRACE).dividedBy(2);
        if (checkin.toMillis() < 500) {
            throw new InvalidConfigurationException(settings.source("rip.cluster.takeover-after")
                    + ": rip.cluster.takeover-after=" + takeoverAfter.toSeconds() + "s is not accepted: at least 9s "
                    + "(Quartz declares a runner dead 7.5 s after a missed check-in)");
        }
        boolean clustered = isPostgreSql(dbUrl);
        IdempotentRepository locks;
        if (clustered) {
            clusteredQuartz(context, dataSource, nodeId, checkin);
            InboxLocks databaseLocks = new InboxLocks(dataSource, nodeId, takeoverAfter);
            databaseLocks.setCamelContext(context);
            // started and stopped with the context: refreshes the locks while the runner lives, releases them at stop
            addService(context, databaseLocks);
            locks = databaseLocks;
            LOG.info("Runner {} joins the cluster on {} (takeover of a dead runner's work after {} s)", nodeId,
                    safeUrl(dataSource), takeoverAfter.toSeconds());
        } else {
            locks = MemoryIdempotentRepository.memoryIdempotentRepository(10_000);
        }
        context.getRegistry().bind("ripNodeId", nodeId);
        context.getRegistry().bind("inboxLocks", locks);
        context.getRegistry().bind("runners", new Runners(dataSource, nodeId, clustered));
        return nodeId;
    }

    /** Quartz on the journal's database, clustered; instance id = node id, so the dashboard can say who is alive. */
    private static void clusteredQuartz(CamelContext context, DataSource dataSource, String nodeId, Duration checkin) {
        DBConnectionManager.getInstance().addConnectionProvider(QUARTZ_DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the runner and is closed after the routes
            }

            @Override
            public void initialize() {
                // the pool is open already
            }
        });
        Map<String, Object> quartz = new HashMap<>();
        quartz.put("org.quartz.scheduler.instanceName", "rip");
        quartz.put("org.quartz.scheduler.instanceId", nodeId);
        quartz.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        quartz.put("org.quartz.threadPool.threadCount", "10");
        quartz.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        quartz.put("org.quartz.jobStore.dataSource", QUARTZ_DATA_SOURCE);
        quartz.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        quartz.put("org.quartz.jobStore.isClustered", "true");
        quartz.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkin.toMillis()));
        // acquire triggers under the row lock: no two runners fire the same trigger
        quartz.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        context.getComponent("quartz", QuartzComponent.class).setProperties(quartz);
    }

    private static void addService(CamelContext context, Object service) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start " + service, e);
        }
    }

    static boolean isPostgreSql(String dbUrl) {
        return dbUrl != null && dbUrl.startsWith("jdbc:postgresql:");
    }

    private static String safeUrl(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String url = c.getMetaData().getURL();
            int query = url.indexOf('?');
            return query < 0 ? url : url.substring(0, query); // no password= or other options in the log
        } catch (SQLException e) {
            return "PostgreSQL";
        }
    }
}
