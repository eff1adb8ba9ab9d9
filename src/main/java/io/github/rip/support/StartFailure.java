package io.github.rip.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;

/**
 * What a failed start tells the user, and what it must not leave behind. Camel's own exception is a chain of wrappers
 * ("Failed to create route … at: >>> Bean[…] <<< … because of Error binding property …") whose useful part is at the
 * bottom; the user gets that part, with the routes file and job in front when the failure belongs to a job.
 */
public final class StartFailure {

    private StartFailure() {
    }

    /** One line per problem; {@code context} (may be null) knows the jobs and their files. */
    public static List<String> describe(Throwable failure, CamelContext context) {
        Optional<String> where = routeId(failure).flatMap(id -> job(context, id));
        InvalidConfigurationException invalid = find(failure, InvalidConfigurationException.class);
        List<String> lines = new ArrayList<>();
        if (invalid != null) {
            // problems found by the checks already name their place; a setter's refusal does not know its file
            for (String problem : invalid.problems()) {
                boolean placed = where.isEmpty() || problem.startsWith(where.get());
                lines.add(placed ? problem : where.get() + ": " + problem);
            }
            return lines;
        }
        String cause = rootCauseMessage(failure);
        lines.add(where.map(w -> w + ": " + cause).or(() -> routeId(failure).map(id -> "route " + id + ": " + cause))
                .orElse(cause));
        return lines;
    }

    /**
     * Stops the embedded emulator a failed start leaves running: its HTTP server thread is not a daemon, so the JVM
     * would never exit, and Camel does not stop what a configuration started when the start fails.
     */
    public static void release(CamelContext context) {
        if (context == null) {
            return;
        }
        for (EmbeddedD365.Running emulator : context.getRegistry().findByType(EmbeddedD365.Running.class)) {
            try {
                emulator.close();
            } catch (RuntimeException e) {
                // stopping on the way out: the process ends anyway
            }
        }
    }

    private static Optional<String> routeId(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException created && created.getRouteId() != null) {
                return Optional.of(created.getRouteId());
            }
            if (t instanceof FailedToStartRouteException started && started.getRouteId() != null) {
                return Optional.of(started.getRouteId());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> job(CamelContext context, String routeId) {
        TemplatedRouteCheck check = context == null ? null : TemplatedRouteCheck.of(context);
        if (check == null) {
            return Optional.empty();
        }
        return check.jobs().stream().filter(job -> routeId.equals(job.routeId())).findFirst()
                .map(TemplatedRouteCheck.Job::where);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootCauseMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
