package io.github.rip.operations;

import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health check "journal": the journal database answers within 5 seconds (the pool would wait 30 for a connection,
 * longer than any probe). Without it the runner can neither take a file nor finish one.
 */
final class JournalCheck extends AbstractHealthCheck {

    private static final int TIMEOUT_SECONDS = 5;

    private final DataSource dataSource;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rip-journal-health");
        thread.setDaemon(true);
        return thread;
    });

    JournalCheck(DataSource dataSource) {
        super("journal");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false; // a restart does not bring a database back
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CompletableFuture<Boolean> valid = CompletableFuture.supplyAsync(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid(TIMEOUT_SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, executor);
        try {
            if (Boolean.TRUE.equals(valid.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))) {
                builder.up();
            } else {
                builder.down().message("The journal database does not answer");
            }
        } catch (TimeoutException e) {
            valid.cancel(true);
            builder.down().message("The journal database did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            builder.down().message("The journal database cannot be reached: " + JobFailures.firstLine(
                    cause.getMessage()));
        }
    }
}
