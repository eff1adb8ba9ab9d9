package io.github.rip;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

import io.github.rip.auth.AuthStatus;
import io.github.rip.auth.D365TokenProvider;
import io.github.rip.auth.TlsTrust;
import io.github.rip.connector.D365Environment;
import io.github.rip.connector.D365Environments;
import io.github.rip.support.EmbeddedD365;
import io.github.rip.support.EnvironmentSettings;
import io.github.rip.support.InvalidConfigurationException;
import io.github.rip.support.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the runner's D365 environments: the default one from the {@code d365.*} settings (the embedded emulator when
 * {@code d365.base-url} is empty) and each named one from {@code d365.environments.<name>.*}, each with its own
 * credentials, authority, trust store, token provider and authentication status. Nothing is shared between them but
 * the token renewal timings ({@code d365.token.*}).
 */
final class EnvironmentWiring {

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentWiring.class);

    private EnvironmentWiring() {
    }

    static D365Environments build(CamelContext context, Settings settings, Path dataDir) throws Exception {
        List<D365Environment> environments = new ArrayList<>();
        environments.add(environment(context, settings, dataDir, D365Environment.DEFAULT));
        for (String name : EnvironmentSettings.names(context)) {
            environments.add(environment(context, settings, dataDir, name));
            LOG.info("D365 environment '{}': {}", name, settings.get(D365Environment.setting(name, "base-url"), null));
        }
        D365Environments all = new D365Environments(context, environments);
        context.getRegistry().bind(D365Environments.BEAN, all);
        // the default environment under its former names: scripts, tests and older code find it there
        context.getRegistry().bind("d365Tokens", all.defaultEnvironment().tokens());
        context.getRegistry().bind("d365Auth", all.defaultEnvironment().auth());
        return all;
    }

    private static D365Environment environment(CamelContext context, Settings settings, Path dataDir, String name)
            throws Exception {
        String clientId = settings.get(D365Environment.setting(name, "client-id"), null);
        String secret = settings.secret(D365Environment.setting(name, "client-secret"));
        String certificate = settings.get(D365Environment.setting(name, "certificate.path"), null);
        String baseUrl = settings.get(D365Environment.setting(name, "base-url"), null);
        String authority = settings.get(D365Environment.setting(name, "authority"), null);
        String trustStore = settings.get(D365Environment.setting(name, "truststore.path"), null);
        String trustStorePassword = settings.secret(D365Environment.setting(name, "truststore.password"));
        boolean isDefault = D365Environment.DEFAULT.equals(name);

        if (baseUrl == null && isDefault) {
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
        if (!isDefault && secret == null && certificate == null) {
            String variable = "D365_ENVIRONMENTS_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            throw new InvalidConfigurationException(D365Environment.label(name) + " has no credential: set "
                    + variable + "_CLIENT_SECRET (or " + variable + "_CLIENT_SECRET_FILE, or the systemd credential "
                    + D365Environment.setting(name, "client-secret") + "), or "
                    + D365Environment.setting(name, "certificate.path"));
        }
        if (authority == null) {
            authority = "https://login.microsoftonline.com/"
                    + settings.get(D365Environment.setting(name, "tenant"), "organizations") + "/";
        }

        // camel-http trusts exactly this store (the emulator's certificate, or one the user configured), or the JVM's
        // trust without one; loaded once: as KeyStoreParameters, Camel loaded the PKCS12 file for every endpoint
        SSLContext trust = null;
        SSLContextParameters tls = new SSLContextParameters();
        if (trustStore != null) {
            X509TrustManager trustManager = TlsTrust.trustManager(Path.of(trustStore), trustStorePassword);
            trust = TlsTrust.sslContext(trustManager);
            TrustManagersParameters trustManagers = new TrustManagersParameters();
            trustManagers.setTrustManager(trustManager);
            tls.setTrustManagers(trustManagers);
            if (isDefault) {
                // as before several environments existed: other https endpoints (export targets) trust it too
                context.getComponent("https", HttpComponent.class).setSslContextParameters(tls);
            }
        }
        String tlsBean = isDefault ? "d365Tls" : "d365Tls-" + name;
        context.getRegistry().bind(tlsBean, tls);

        D365TokenProvider tokens = D365TokenProvider.create(authority, clientId, secret,
                certificate == null ? null : Path.of(certificate),
                settings.secret(D365Environment.setting(name, "certificate.password")), baseUrl,
                settings.getDuration("d365.token.renew-before", Duration.ofMinutes(5)), trust);
        tokens.setRetryRefusedAfter(settings.getDuration("d365.token.retry-refused-after", Duration.ofSeconds(30)));
        tokens.setEnvironment(name);
        AuthStatus auth = new AuthStatus(clientId, isDefault ? null : name,
                settings.getDuration("rip.auth.problem-reminder", Duration.ofMinutes(10)));
        return new D365Environment(name, baseUrl.replaceAll("/+$", ""), tokens, auth, tlsBean);
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
