package io.github.rip.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code {{secret:key}}} placeholder, e.g. {@code password: "{{secret:sftp.partner-a.password}}"} in a job: the
 * secret comes from the environment ({@code SFTP_PARTNER_A_PASSWORD}), a mounted file ({@code ..._FILE}) or the
 * properties, exactly as {@link Settings#secret} reads the D365 client secret, so no secret is ever written in YAML.
 * Registered through META-INF/services/org/apache/camel/properties-function/secret.
 */
public class SecretPropertiesFunction implements PropertiesFunction, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(SecretPropertiesFunction.class);

    /** Keys already reported as missing (a placeholder is resolved more than once per route). */
    private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();
    private CamelContext context;

    @Override
    public String getName() {
        return "secret";
    }

    @Override
    public String apply(String key) {
        String name = key.trim();
        String value = new Settings(context).secret(name);
        if (value == null) {
            // Not fatal: one job without its secret must not keep the others from starting; its login fails and says so.
            String variable = name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            if (reportedMissing.add(name)) {
                LOG.warn("Secret '{}' is not set: give it as environment variable {} or in a file named by {}_FILE",
                        name, variable, variable);
            }
            return "";
        }
        return value;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }
}
