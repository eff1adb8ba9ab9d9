package io.github.rip.emulator;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the emulator on its own: {@code java -jar recurring-integrations-pack.jar emulator [--config emulator.yaml]
 * [--port 8443] [--data-dir emulator-data] [--host 127.0.0.1]} (or {@code --help}). Placeholders
 * {@code {{name}}} / {@code {{name:default}}} in the YAML resolve from system properties, then environment variables
 * ({@code d365.client-id} → {@code D365_CLIENT_ID}), then the default.
 */
public final class EmulatorMain {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}:]+)(?::([^{}]*))?}}");

    private EmulatorMain() {
    }

    private static final String USAGE = "Usage: emulator [--config <yaml>] [--port <port>] [--data-dir <dir>]"
            + " [--host <host>]";

    public static void main(String[] args) throws IOException, InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            System.out.println("Starts the D365 emulator (HTTPS connector API + token endpoint) until Ctrl+C. Without"
                    + " --config it uses its built-in emulator.yaml; {{name:default}} placeholders resolve from -D"
                    + " system properties, then environment variables (d365.client-id -> D365_CLIENT_ID).");
            return;
        }
        EmulatorConfig config;
        try {
            config = configFrom(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        D365Emulator emulator = D365Emulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            stopped.countDown();
        }, "d365-emulator-shutdown"));
        System.out.println("D365 emulator running");
        System.out.println("  base URL (D365 URL, token resource): " + emulator.baseUrl());
        System.out.println("  authority (Entra ID):                " + emulator.authority());
        System.out.println("  trust store:                         " + emulator.trustStore()
                + " (PKCS12, password '" + emulator.trustStorePassword() + "')");
        System.out.println("  certificate (PEM, for curl):         "
                + emulator.trustStore().resolveSibling(TlsMaterial.CERTIFICATE_PEM_FILE));
        System.out.println("  data folder:                         " + config.dataDir());
        config.apps().forEach(a -> System.out.println("  app:  " + a));
        config.jobs().forEach(j -> System.out.println("  job:  " + j.activityId() + "  " + j.name() + " ("
                + j.direction() + ", " + j.mode() + (j.entity() == null ? "" : ", " + j.entity()) + ")"));
        config.exports().stream().filter(ExportSchedule::enabled).forEach(e -> System.out.println("  export schedule: "
                + e.rows() + " rows to " + e.activityId() + " every " + e.every()));
        System.out.println("  publish an export:                   POST " + emulator.baseUrl()
                + "/admin/exports/<activityId>/publish?rows=N (bearer token), or the file as body");
        System.out.println("  fault injection:                     GET/POST/DELETE " + emulator.baseUrl()
                + "/admin/faults (bearer token); " + config.faults().size() + " configured");
        System.out.println("Press Ctrl+C to stop.");
        stopped.await();
    }

    static EmulatorConfig configFrom(String[] args) throws IOException {
        String configFile = null;
        Integer port = null;
        String dataDir = null;
        String host = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--config" -> configFile = required(args[i], value);
                case "--port" -> port = Integer.valueOf(required(args[i], value));
                case "--data-dir" -> dataDir = required(args[i], value);
                case "--host" -> host = required(args[i], value);
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
            }
            i++;
        }
        EmulatorConfig loaded;
        if (configFile == null) {
            loaded = EmulatorConfig.loadDefault(EmulatorMain::resolve);
        } else {
            try (Reader reader = Files.newBufferedReader(Path.of(configFile), StandardCharsets.UTF_8)) {
                loaded = EmulatorConfig.load(reader, EmulatorMain::resolve);
            }
        }
        EmulatorConfig.Builder builder = loaded.toBuilder();
        if (port != null) {
            builder.port(port);
        }
        if (dataDir != null) {
            builder.dataDir(Path.of(dataDir));
        }
        if (host != null) {
            builder.host(host);
        }
        return builder.build();
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** Replaces every {@code {{name}}} / {@code {{name:default}}} in the value. */
    static String resolve(String value) {
        return resolve(value, EmulatorMain::lookup);
    }

    static String resolve(String value, UnaryOperator<String> lookup) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).trim();
            String resolved = lookup.apply(name);
            if (resolved == null) {
                resolved = m.group(2);
            }
            if (resolved == null) {
                throw new IllegalArgumentException("Property '" + name + "' is not set: pass -D" + name + "=… or set "
                        + envName(name));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A system property, the environment variable, or the file named by {@code <VARIABLE>_FILE} (container secrets). */
    private static String lookup(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(envName(name));
        }
        String file = System.getenv(envName(name) + "_FILE");
        if (value == null && file != null && !file.isBlank()) {
            try {
                value = Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(envName(name) + "_FILE=" + file + " cannot be read: " + e.getMessage());
            }
        }
        return value;
    }

    private static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
