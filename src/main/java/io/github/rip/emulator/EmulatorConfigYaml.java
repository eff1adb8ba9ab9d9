package io.github.rip.emulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reads the emulator's YAML configuration (format documented in {@code emulator/emulator.yaml}). */
final class EmulatorConfigYaml {

    private final UnaryOperator<String> resolver;

    private EmulatorConfigYaml(UnaryOperator<String> resolver) {
        this.resolver = resolver;
    }

    static EmulatorConfig parse(Reader yaml, UnaryOperator<String> resolver) {
        Object document = new Load(LoadSettings.builder().setLabel("emulator config").build()).loadFromReader(yaml);
        Map<String, Object> root = document == null ? Map.of() : map(document, "the document");
        return new EmulatorConfigYaml(resolver).config(root);
    }

    private EmulatorConfig config(Map<String, Object> root) {
        EmulatorConfig.Builder b = EmulatorConfig.builder();
        b.host(string(root, "host"));
        b.port((int) number(root, "port", 0));
        String dataDir = string(root, "dataDir");
        b.dataDir(dataDir == null ? null : Path.of(dataDir));
        b.tenant(string(root, "tenant"));
        b.processingDelay(duration(root, "processingDelay"));
        b.processingTime(duration(root, "processingTime"));
        b.tokenLifetime(duration(root, "tokenLifetime"));
        b.tokenClockSkew(duration(root, "tokenClockSkew"));
        b.enumFormat(enumValue(root, "enumFormat", EmulatorConfig.EnumFormat.class));
        b.dateFormat(enumValue(root, "dateFormat", EmulatorConfig.DateFormat.class));
        b.messageIdFormat(enumValue(root, "messageIdFormat", EmulatorConfig.MessageIdFormat.class));
        b.maxEnqueueBytes(number(root, "maxEnqueueBytes", 0));
        b.defaultCompany(string(root, "defaultCompany"));
        b.maxThreads((int) number(root, "maxThreads", 0));
        b.visibilityTimeout(duration(root, "visibilityTimeout"));
        b.redeliveryNewCorrelationId(bool(root, "redeliveryNewCorrelationId"));
        b.downloadLocationHttpPort80(bool(root, "downloadLocationHttpPort80"));
        for (Map<String, Object> export : list(root, "exports")) {
            b.export(new ExportSchedule(required(export, "activityId", "exports[]"), duration(export, "every"),
                    (int) number(export, "rows", 100)));
        }
        for (Map<String, Object> app : list(root, "apps")) {
            b.app(new AppRegistration(required(app, "appId", "apps[]"), string(app, "secret"),
                    certificate(string(app, "certificate"))));
        }
        for (Map<String, Object> job : list(root, "jobs")) {
            String where = "jobs[" + string(job, "name") + "]";
            b.job(new RecurringJob(required(job, "activityId", where), string(job, "name"),
                    enumValue(job, "mode", RecurringJob.Mode.class),
                    enumValue(job, "direction", RecurringJob.Direction.class), string(job, "entity"),
                    enumValue(job, "format", RecurringJob.FileFormat.class), string(job, "dataProject"),
                    strings(job, "apps"), exportEntities(job, where)));
        }
        List<Map<String, Object>> faults = list(root, "faults");
        for (int i = 0; i < faults.size(); i++) {
            try {
                b.fault(FaultSpecFormat.parse(faults.get(i), resolver));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("emulator config: faults[" + i + "]: " + e.getMessage(), e);
            }
        }
        Object entities = root.get("entities");
        if (entities != null) {
            map(entities, "entities").forEach((entity, spec) -> {
                Map<String, Object> schema = map(spec, "entities." + entity);
                b.entitySchema(resolver.apply(entity), List.copyOf(strings(schema, "required")));
            });
        }
        return b.build();
    }

    /** A job's {@code entities: [{name, columns, format}]}, the data project of an export job. */
    private List<ExportEntity> exportEntities(Map<String, Object> job, String where) {
        List<ExportEntity> entities = new ArrayList<>();
        for (Map<String, Object> entity : list(job, "entities")) {
            entities.add(new ExportEntity(required(entity, "name", where + ".entities[]"),
                    List.copyOf(strings(entity, "columns")), string(entity, "format")));
        }
        return entities;
    }

    private boolean bool(Map<String, Object> node, String key) {
        String value = string(node, key);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("emulator config: '" + key + "' must be true or false, got "
                    + value);
        };
    }

    private String string(Map<String, Object> node, String key) {
        Object value = node.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException("emulator config: '" + key + "' must be a single value");
        }
        String resolved = resolver.apply(String.valueOf(value));
        return resolved == null || resolved.isBlank() ? null : resolved.trim();
    }

    private String required(Map<String, Object> node, String key, String where) {
        String value = string(node, key);
        if (value == null) {
            throw new IllegalArgumentException("emulator config: " + where + " needs '" + key + "'");
        }
        return value;
    }

    private long number(Map<String, Object> node, String key, long fallback) {
        String value = string(node, key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("emulator config: '" + key + "' must be a whole number, got " + value);
        }
    }

    private Duration duration(Map<String, Object> node, String key) {
        String value = string(node, key);
        return value == null ? null : parseDuration(key, value);
    }

    /** ISO-8601 ({@code PT2S}) or a number with a unit: {@code 200ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    static Duration parseDuration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1).trim());
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("emulator config: '" + key + "' must be a duration like PT2S, 200ms,"
                    + " 2s, 5m or 1h; got " + value);
        }
    }

    private <E extends Enum<E>> E enumValue(Map<String, Object> node, String key, Class<E> type) {
        String value = string(node, key);
        if (value == null) {
            return null;
        }
        String wanted = value.replace('-', '_').toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("emulator config: '" + key + "' must be one of "
                + List.of(type.getEnumConstants()) + ", got " + value);
    }

    private Set<String> strings(Map<String, Object> node, String key) {
        Object value = node.get(key);
        Set<String> result = new LinkedHashSet<>();
        if (value == null) {
            return result;
        }
        List<?> items = value instanceof List<?> l ? l : List.of(String.valueOf(value).split(","));
        for (Object item : items) {
            String resolved = item == null ? null : resolver.apply(String.valueOf(item));
            if (resolved != null && !resolved.isBlank()) {
                result.add(resolved.trim());
            }
        }
        return result;
    }

    private static List<Map<String, Object>> list(Map<String, Object> node, String key) {
        Object value = node.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException("emulator config: '" + key + "' must be a list");
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object item : items) {
            result.add(map(item, key + "[]"));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("emulator config: " + where + " must be a mapping");
        }
        return (Map<String, Object>) value;
    }

    /** A PEM file path, or the PEM text itself. */
    private static X509Certificate certificate(String value) {
        if (value == null) {
            return null;
        }
        try {
            byte[] pem = value.startsWith("-----BEGIN") ? value.getBytes(StandardCharsets.US_ASCII)
                    : Files.readAllBytes(Path.of(value));
            try (InputStream in = new ByteArrayInputStream(pem)) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("emulator config: cannot read certificate " + value + ": "
                    + e.getMessage(), e);
        }
    }
}
