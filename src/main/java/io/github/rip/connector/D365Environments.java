package io.github.rip.connector;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.rip.support.TemplatedRouteCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * The D365 environments of the runner (bound as {@code d365Environments}): the default one, configured by today's
 * {@code d365.*} settings, and any named one ({@code d365.environments.<name>.*}). A job names its environment with
 * the template parameter {@code environment} (empty: the default). Whoever prepares a D365 call puts the environment's
 * name in the exchange property {@link #PROPERTY}; {@link D365Client} then takes the token, the URL and the TLS trust
 * from that one environment.
 */
public final class D365Environments {

    public static final String BEAN = "d365Environments";
    /** Exchange property: the name of the environment the exchange's D365 calls go to ("" or absent: the default). */
    public static final String PROPERTY = "ripEnvironment";

    private final Map<String, D365Environment> byName = new LinkedHashMap<>();
    private final CamelContext context;

    public D365Environments(CamelContext context, List<D365Environment> environments) {
        this.context = context;
        environments.forEach(e -> byName.put(e.name(), e));
        if (!byName.containsKey(D365Environment.DEFAULT)) {
            throw new IllegalArgumentException("The default D365 environment is missing");
        }
    }

    /** The environments of a context, or null before the runner wired them. */
    public static D365Environments of(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(BEAN, D365Environments.class);
    }

    /** Sends the exchange's following D365 calls to this environment (null or blank: the default). */
    public static void use(Exchange exchange, String environment) {
        exchange.setProperty(PROPERTY, environment == null ? D365Environment.DEFAULT : environment.trim());
    }

    public D365Environment defaultEnvironment() {
        return byName.get(D365Environment.DEFAULT);
    }

    /** An environment by name; null or blank is the default. Unknown names are refused (the start checks them). */
    public D365Environment get(String name) {
        String key = name == null ? D365Environment.DEFAULT : name.trim();
        D365Environment environment = byName.get(key);
        if (environment == null) {
            throw new IllegalArgumentException("No D365 environment '" + key + "' is configured; the environments are: "
                    + String.join(", ", names()));
        }
        return environment;
    }

    /** The environment of the exchange's calls ({@link #PROPERTY}). */
    public D365Environment of(Exchange exchange) {
        return get(exchange.getProperty(PROPERTY, String.class));
    }

    /**
     * The environment a job (by its jobName) talks to, as its routes file declares it; the default for a name no routes
     * file declares (journal rows of a job removed since).
     */
    public D365Environment forJob(String jobName) {
        TemplatedRouteCheck check = TemplatedRouteCheck.of(context);
        if (check != null) {
            for (TemplatedRouteCheck.Job job : check.jobs()) {
                if (jobName != null && jobName.equals(job.jobName())) {
                    return get(job.environment());
                }
            }
        }
        return defaultEnvironment();
    }

    /** Every environment, the default first. */
    public Collection<D365Environment> all() {
        return byName.values();
    }

    /** The names as messages show them: "(default)" for the default one. */
    public List<String> names() {
        return byName.keySet().stream().map(n -> n.isEmpty() ? "(default)" : n).toList();
    }

    /** Tokens obtained in all environments since start. */
    public long tokensAcquired() {
        return byName.values().stream().mapToLong(e -> e.tokens().tokensAcquired()).sum();
    }
}
