package io.github.rip.operations;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.rip.sftp.SftpServerStatus;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * Why a job cannot do its work right now, as far as Camel sees it: an inbox poll that fails (folder not readable, SFTP
 * server down, login refused: the consumer's last error, worded like the job's log for SFTP), or an export poll that
 * ended with an error (recorded here from Camel's exchange events, cleared by the next poll that goes through).
 */
final class JobFailures extends SimpleEventNotifierSupport {

    /** @param error the exception itself, for callers that word it their own way (SFTP targets) */
    record Failure(String message, Instant since, Throwable error) {
    }

    private final Map<String, Failure> exportPolls = new ConcurrentHashMap<>();
    private final Map<String, Boolean> exportRoutes = new ConcurrentHashMap<>();

    /** The export routes to watch (their polls are the exchanges of these routes). */
    void watchExport(String routeId) {
        exportRoutes.put(routeId, Boolean.TRUE);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeCompletedEvent) event).getExchange();
        String routeId = exchange.getFromRouteId();
        if (routeId == null || !exportRoutes.containsKey(routeId)) {
            return;
        }
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            exportPolls.remove(routeId);
        } else {
            Failure earlier = exportPolls.get(routeId);
            exportPolls.put(routeId, new Failure("The last poll failed: " + firstLine(error.getMessage()),
                    earlier == null ? Instant.now() : earlier.since(), error));
        }
    }

    Optional<Failure> exportPoll(String routeId) {
        return Optional.ofNullable(exportPolls.get(routeId));
    }

    /** A polling consumer whose last poll failed (Camel counts them until one goes through). */
    static Optional<Failure> consumer(Route route, String job) {
        Consumer consumer = route == null ? null : route.getConsumer();
        if (!(consumer instanceof ScheduledPollConsumer polling) || polling.getErrorCounter() == 0
                || !(consumer instanceof HealthCheckAware aware) || aware.getHealthCheck() == null) {
            return Optional.empty();
        }
        HealthCheck.Result result = aware.getHealthCheck().call(Map.of(HealthCheck.CHECK_KIND,
                HealthCheck.Kind.LIVENESS));
        Throwable error = result.getError().orElse(null);
        String message;
        if (error != null && route.getEndpoint() instanceof SftpEndpoint sftp) {
            message = SftpServerStatus.describe(error, job, sftp.getConfiguration());
        } else {
            message = error != null ? "The inbox cannot be read: " + firstLine(error.getMessage())
                    : result.getMessage().orElse("The last " + polling.getErrorCounter() + " polls failed");
        }
        return Optional.of(new Failure(message, null, error));
    }

    static String firstLine(String text) {
        String line = text == null ? "(no message)" : text.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
