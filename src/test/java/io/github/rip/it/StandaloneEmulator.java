package io.github.rip.it;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.EmulatorConfig;

/**
 * Test fixture: the D365 emulator started on its own (as a user would with the "emulator" command), configured with
 * the shipped emulator.yaml and the activity ids of the top-level application.properties, so a runner can be pointed
 * at it and it can be stopped and restarted under the runner's feet.
 */
public final class StandaloneEmulator implements AutoCloseable {

    public static final String CLIENT_ID = "6f1c9a3e-rip-demo-client";
    public static final String SECRET = "standalone-test-secret";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^:}]+)(?::([^}]*))?}}");

    private final Path dataDir;
    private final Consumer<EmulatorConfig.Builder> customizer;
    private int port;
    private D365Emulator emulator;

    public StandaloneEmulator(Path dataDir, Consumer<EmulatorConfig.Builder> customizer) {
        this.dataDir = dataDir;
        this.customizer = customizer;
    }

    public StandaloneEmulator start() {
        Properties app = applicationProperties();
        app.setProperty("d365.client-id", CLIENT_ID);
        app.setProperty("d365.client-secret", SECRET);
        EmulatorConfig.Builder builder = EmulatorConfig.loadDefault(text -> resolve(text, app)).toBuilder()
                .dataDir(dataDir)
                .port(port)
                .processingDelay(java.time.Duration.ofMillis(200))
                .processingTime(java.time.Duration.ofMillis(100));
        customizer.accept(builder);
        try {
            emulator = D365Emulator.start(builder.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = emulator.port(); // a restart comes back on the same port
        return this;
    }

    public void stop() {
        if (emulator != null) {
            emulator.stop();
            emulator = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public D365Emulator get() {
        return emulator;
    }

    /** Points a runner at this emulator instead of an embedded one. */
    public PackRunner configure(PackRunner runner) {
        return runner.set("d365.base-url", emulator.baseUrl())
                .set("d365.authority", emulator.authority())
                .set("d365.truststore.path", emulator.trustStore().toString())
                .set("d365.truststore.password", emulator.trustStorePassword())
                .set("d365.client-id", CLIENT_ID)
                .set("d365.client-secret", SECRET);
    }

    private static String resolve(String text, Properties props) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = props.getProperty(m.group(1), m.group(2) == null ? "" : m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(value.trim()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Properties applicationProperties() {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<Object, Object> e : props.entrySet()) {
            e.setValue(e.getValue().toString().trim());
        }
        return props;
    }
}
