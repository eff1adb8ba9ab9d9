package io.github.rip.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

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
        return Integer.parseInt(get(key, Integer.toString(defaultValue)));
    }

    /** A duration written as 500ms, 30s, 5m, 2h, 1d, 1h30m, or plain milliseconds (Camel's own notation). */
    public Duration getDuration(String key, Duration defaultValue) {
        String value = get(key, null);
        return value == null ? defaultValue : parseDuration(value);
    }

    public static Duration parseDuration(String value) {
        return TimeUtils.toDuration(value.trim());
    }

    /**
     * A secret: from the environment variable named after the key (d365.client-secret -> D365_CLIENT_SECRET), from the
     * file named by &lt;VAR&gt;_FILE (Docker/Kubernetes secrets), or from the properties. Never logged.
     */
    public String secret(String key) {
        String var = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        String fromEnv = System.getenv(var);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        String file = System.getenv(var + "_FILE");
        if (file == null || file.isBlank()) {
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
}
