package io.github.rip.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.PropertiesLookupListener;
import org.apache.camel.spi.PropertiesComponent;

/** Reads the runner's settings through Camel's properties (application.properties, overridden by the environment). */
public final class Settings {

    private final CamelContext context;

    public Settings(CamelContext context) {
        this.context = context;
    }

    /** The value, or the default when unset or blank. */
    public String get(String key, String defaultValue) {
        String value = context.getPropertiesComponent().resolveProperty(key).orElse(null);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    public int getInt(String key, int defaultValue) {
        String value = get(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(source(key) + ": " + key + ": '" + value
                    + "' is not accepted; write a whole number");
        }
    }

    /**
     * A duration in the pack's one syntax ({@link Durations}: 500ms, 30s, 5m, 2h, 1d, 1h30m, or plain milliseconds);
     * anything else stops the start with a message naming the setting and where it was set.
     */
    public Duration getDuration(String key, Duration defaultValue) {
        String value = get(key, null);
        return value == null ? defaultValue : Durations.parse(value, source(key) + ": " + key);
    }

    /**
     * Where a setting's value comes from, for messages: "application.properties", "environment variable RIP_X", "system
     * property rip.x" or "override property" (tests, the runner itself). Camel says where it found the value.
     */
    public String source(String key) {
        PropertiesComponent properties = context.getPropertiesComponent();
        AtomicReference<String> source = new AtomicReference<>();
        PropertiesLookupListener listener = (name, value, defaultValue, where) -> {
            if (key.equals(name)) {
                source.set(where);
            }
        };
        properties.addPropertiesLookupListener(listener);
        try {
            properties.resolveProperty(key);
        } catch (RuntimeException e) {
            // a value that does not resolve is reported by whoever asked; only its source is wanted here
        } finally {
            if (properties instanceof org.apache.camel.component.properties.PropertiesComponent camelProperties) {
                camelProperties.removePropertiesLookupListener(listener);
            }
        }
        String where = source.get();
        if (where == null) {
            return "settings";
        }
        return switch (where) {
            case "ENV" -> "environment variable " + environmentVariable(key);
            case "SYS" -> "system property " + key;
            case "OverrideProperties" -> "override property";
            case "InitialProperties" -> "initial property";
            default -> where.replaceFirst("^(optional:)?(file:|classpath:)?", "");
        };
    }

    /** The properties file(s) the settings come from ("application.properties"), for messages. */
    public String propertiesFiles() {
        List<String> files = context.getPropertiesComponent().getLocations().stream()
                .map(location -> location.replaceFirst("^(optional:)?(file:|classpath:)?", "")).toList();
        return files.isEmpty() ? "the properties file" : String.join(", ", files);
    }

    /** d365.client-secret -> D365_CLIENT_SECRET, as Camel looks up an environment variable for a property. */
    static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * A secret: from the environment variable named after the key (d365.client-secret -> D365_CLIENT_SECRET), from the
     * file named by &lt;VAR&gt;_FILE (Docker/Kubernetes secrets), from the systemd credential named after the key
     * ($CREDENTIALS_DIRECTORY/d365.client-secret or rip_d365.client-secret, LoadCredential=), or from the properties.
     * Never logged.
     */
    public String secret(String key) {
        return secret(key, System.getenv());
    }

    /** {@link #secret(String)} against the given environment (tests cannot change the process's). */
    String secret(String key, Map<String, String> env) {
        String var = environmentVariable(key);
        String fromEnv = env.get(var);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        String file = env.get(var + "_FILE");
        if (file == null || file.isBlank()) {
            file = credential(key, env.get("CREDENTIALS_DIRECTORY"));
        }
        if (file == null) {
            file = get(key + "-file", null);
        }
        if (file != null) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read secret file " + file + " for " + key, e);
            }
        }
        return get(key, null);
    }

    /**
     * The systemd credential file for a key, or null. systemd passes LoadCredential= files in a private folder named by
     * CREDENTIALS_DIRECTORY, readable only by the service. A credential is named after the setting
     * (LoadCredential=d365.client-secret:/path), or rip_ and the setting when the unit loads a whole folder
     * (LoadCredential=rip:/etc/recurring-integrations-pack/credentials, as the shipped unit does).
     */
    private static String credential(String key, String directory) {
        if (directory == null || directory.isBlank()) {
            return null;
        }
        for (String name : List.of(key, "rip_" + key)) {
            Path file = Path.of(directory).resolve(name);
            if (Files.isRegularFile(file)) {
                return file.toString();
            }
        }
        return null;
    }
}
