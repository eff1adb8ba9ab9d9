package io.github.rip.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.rip.auth.D365TokenProvider;
import io.github.rip.connector.D365Environment;
import io.github.rip.support.ActivityProbe;
import io.github.rip.support.TemplatedRouteCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health check "d365" (for the default D365 environment; "d365:&lt;name&gt;" for a named one): a token from the
 * environment's token endpoint, then the one read-only call of the connector API (jobstatus for an all-zero message
 * id) per recurring data job of the jobs talking to that environment, made by {@link #probe()} every
 * {@code rip.health.d365-check-interval} (operations-checks.camel.yaml) and only read here: a probe every few seconds
 * from Kubernetes or Prometheus must not turn into token requests. UNKNOWN until the first probe.
 */
public final class D365Check extends AbstractHealthCheck {

    private record Outcome(Instant at, List<String> problems) {
    }

    private final CamelContext context;
    private final D365Environment environment;
    private final D365TokenProvider tokens;
    private final Duration interval;
    private volatile Outcome last;

    /** Every environment's check, probed one after the other by the timer route. */
    public record All(List<D365Check> checks) {
        public void probe() {
            checks.forEach(D365Check::probe);
        }
    }

    D365Check(CamelContext context, D365Environment environment, Duration interval) {
        super(environment.isDefault() ? "d365" : "d365:" + environment.name());
        this.context = context;
        this.environment = environment;
        this.tokens = environment.tokens();
        this.interval = interval;
    }

    @Override
    public boolean isLiveness() {
        return false; // D365 being down is no reason to restart the runner
    }

    /**
     * Asks D365 now (called by the check's timer route). The token endpoint is asked for a token of its own only when
     * the runner has not obtained one within the last interval: the runner's first token (or a renewal) already shows
     * the endpoint answering, and asking again would only add requests to Entra ID.
     */
    public void probe() {
        List<String> problems = new ArrayList<>();
        Instant obtained = tokens.lastAcquiredAt();
        String token;
        if (obtained == null) {
            token = runnersToken();
        } else {
            token = obtained.isAfter(Instant.now().minus(interval)) ? null : tokens.probeTokenEndpoint();
        }
        if (token != null) {
            problems.add("Token endpoint: " + token);
        } else {
            TemplatedRouteCheck check = TemplatedRouteCheck.of(context);
            problems.addAll(ActivityProbe.probe(context, environment, check == null ? List.of()
                    : check.jobs().stream().filter(job -> environment.name().equals(job.environment())).toList()));
        }
        last = new Outcome(Instant.now(), List.copyOf(problems));
    }

    /** The runner's own first token: getting it is the check. Null when it came. */
    private String runnersToken() {
        try {
            tokens.bearerHeader();
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Outcome outcome = last;
        if (outcome == null) {
            builder.unknown().message("Not checked yet");
            return;
        }
        builder.detail("checked.at", outcome.at().toString());
        if (outcome.problems().isEmpty()) {
            builder.up();
        } else {
            builder.down().message(String.join("; ", outcome.problems()));
        }
    }
}
