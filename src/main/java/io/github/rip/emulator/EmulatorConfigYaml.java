package io.github.rip.emulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the emulator's YAML configuration (format documented in {@code emulator/emulator.yaml}): Jackson maps it to
 * the records below, which mirror the file; {@link YamlValues} reads the spellings of single values, and placeholders
 * are resolved in the parsed tree first, so every value and key may hold one. Unknown keys are refused.
 */
final class EmulatorConfigYaml {

    record File(String host, Integer port, String dataDir, String tenant, Duration tokenLifetime,
                Duration tokenClockSkew, Duration processingDelay, Duration processingTime,
                EmulatorConfig.EnumFormat enumFormat, EmulatorConfig.DateFormat dateFormat,
                EmulatorConfig.MessageIdFormat messageIdFormat, Long maxEnqueueBytes, String defaultCompany,
                Integer maxThreads, Duration visibilityTimeout, Boolean redeliveryNewCorrelationId,
                Boolean downloadLocationHttpPort80, List<App> apps, List<Job> jobs, List<Schedule> exports,
                List<JsonNode> faults, Map<String, Schema> entities) {
    }

    /** {@code certificate}: a PEM file path, or the PEM text itself. */
    record App(String appId, String secret, String certificate) {
    }

    record Job(String activityId, String name, RecurringJob.Mode mode, RecurringJob.Direction direction, String entity,
               RecurringJob.FileFormat format, String dataProject,
               @JsonDeserialize(using = YamlValues.CommaList.class) List<String> apps, List<JobEntity> entities) {
    }

    /** {@code format} is the data source written to generated manifests, CSV-Unicode by default. */
    record JobEntity(String name, @JsonDeserialize(using = YamlValues.CommaList.class) List<String> columns,
                     String format) {
    }

    record Schedule(String activityId, Duration every, Integer rows) {
    }

    record Schema(@JsonDeserialize(using = YamlValues.CommaList.class) List<String> required) {
    }

    private static final TypeReference<Map<String, Object>> FAULT_ENTRY = new TypeReference<>() { };
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(YamlValues.module())
            .build();

    private EmulatorConfigYaml() {
    }

    static EmulatorConfig parse(Reader yaml, UnaryOperator<String> resolver) {
        File file;
        try {
            JsonNode tree = YAML.readTree(yaml);
            JsonNode resolved = tree == null || tree.isMissingNode() ? YAML.createObjectNode()
                    : resolved(tree, resolver);
            file = YAML.treeToValue(resolved, File.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("emulator config: " + explain(e), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("emulator config: not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return toConfig(file);
    }

    private static EmulatorConfig toConfig(File f) {
        EmulatorConfig.Builder b = EmulatorConfig.builder().host(f.host()).port(f.port() == null ? 0 : f.port())
                .dataDir(f.dataDir() == null ? null : Path.of(f.dataDir())).tenant(f.tenant())
                .tokenLifetime(f.tokenLifetime()).tokenClockSkew(f.tokenClockSkew())
                .processingDelay(f.processingDelay()).processingTime(f.processingTime())
                .enumFormat(f.enumFormat()).dateFormat(f.dateFormat()).messageIdFormat(f.messageIdFormat())
                .maxEnqueueBytes(f.maxEnqueueBytes() == null ? 0 : f.maxEnqueueBytes())
                .defaultCompany(f.defaultCompany()).maxThreads(f.maxThreads() == null ? 0 : f.maxThreads())
                .visibilityTimeout(f.visibilityTimeout())
                .redeliveryNewCorrelationId(Boolean.TRUE.equals(f.redeliveryNewCorrelationId()))
                .downloadLocationHttpPort80(Boolean.TRUE.equals(f.downloadLocationHttpPort80()));
        List<App> apps = listOf(f.apps());
        for (int i = 0; i < apps.size(); i++) {
            App app = apps.get(i);
            b.app(new AppRegistration(required(app.appId(), "appId", "apps[" + i + "]"), app.secret(),
                    certificate(app.certificate())));
        }
        List<Job> jobs = listOf(f.jobs());
        for (int i = 0; i < jobs.size(); i++) {
            String where = "jobs[" + i + "]";
            Job job = jobs.get(i);
            try {
                b.job(new RecurringJob(required(job.activityId(), "activityId", where), job.name(), job.mode(),
                        job.direction(), job.entity(), job.format(), job.dataProject(),
                        new LinkedHashSet<>(listOf(job.apps())), exportEntities(listOf(job.entities()), where)));
            } catch (IllegalArgumentException e) {
                throw prefixed(where, e);
            }
        }
        List<Schedule> exports = listOf(f.exports());
        for (int i = 0; i < exports.size(); i++) {
            Schedule s = exports.get(i);
            b.export(new ExportSchedule(required(s.activityId(), "activityId", "exports[" + i + "]"), s.every(),
                    s.rows() == null ? 100 : s.rows()));
        }
        List<JsonNode> faults = listOf(f.faults());
        for (int i = 0; i < faults.size(); i++) {
            try {
                // as the JSON of POST /admin/faults: text as written, so `body: ""` stays "no body"
                b.fault(FaultSpecFormat.parse(Json.MAPPER.convertValue(faults.get(i), FAULT_ENTRY),
                        UnaryOperator.identity())); // placeholders are resolved already
            } catch (IllegalArgumentException e) {
                throw prefixed("faults[" + i + "]", e);
            }
        }
        if (f.entities() != null) {
            f.entities().forEach((entity, schema) -> b.entitySchema(entity,
                    schema == null ? List.of() : listOf(schema.required())));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("emulator config: " + e.getMessage(), e);
        }
    }

    private static List<ExportEntity> exportEntities(List<JobEntity> entities, String where) {
        List<ExportEntity> result = new ArrayList<>();
        for (int i = 0; i < entities.size(); i++) {
            JobEntity e = entities.get(i);
            result.add(new ExportEntity(required(e.name(), "name", where + ".entities[" + i + "]"),
                    listOf(e.columns()), e.format()));
        }
        return result;
    }

    /** The tree with placeholders resolved in every text and key. */
    private static JsonNode resolved(JsonNode node, UnaryOperator<String> resolver) {
        if (node.isObject()) {
            ObjectNode copy = YAML.createObjectNode();
            node.properties().forEach(p -> copy.set(resolver.apply(p.getKey()), resolved(p.getValue(), resolver)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = YAML.createArrayNode();
            node.forEach(item -> copy.add(resolved(item, resolver)));
            return copy;
        }
        return node.isTextual() ? TextNode.valueOf(resolver.apply(node.textValue())) : node;
    }

    private static <T> List<T> listOf(List<T> items) {
        return items == null ? List.of() : items.stream().filter(Objects::nonNull).toList();
    }

    private static String required(String value, String key, String where) {
        if (value == null) {
            throw new IllegalArgumentException("emulator config: " + where + " needs '" + key + "'");
        }
        return value;
    }

    private static IllegalArgumentException prefixed(String where, IllegalArgumentException e) {
        return e.getMessage().startsWith("emulator config: ") ? e
                : new IllegalArgumentException("emulator config: " + where + ": " + e.getMessage(), e);
    }

    /** Jackson's finding, said with the key's path ({@code jobs[0].mode}) and what the key accepts. */
    private static String explain(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (e instanceof UnrecognizedPropertyException unknown) {
            String where = path(path.subList(0, Math.max(0, path.size() - 1)));
            return "unknown key '" + unknown.getPropertyName() + "'" + (where.isEmpty() ? "" : " in " + where)
                    + "; accepted: " + names(unknown.getKnownPropertyIds());
        }
        String key = path(path);
        String subject = key.isEmpty() ? "the document" : "'" + key + "'";
        if (e.getCause() instanceof IllegalArgumentException bad) {
            return subject + " " + bad.getMessage();
        }
        if (e instanceof InvalidFormatException bad) {
            Class<?> target = bad.getTargetType();
            return subject + (target == Boolean.class || target == boolean.class ? " must be true or false"
                    : " must be a whole number") + ", got " + bad.getValue();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            return subject + (Collection.class.isAssignableFrom(target) ? " must be a list"
                    : Map.class.isAssignableFrom(target) || target.isRecord() ? " must be a mapping"
                    : " must be a single value");
        }
        return subject + ": " + e.getOriginalMessage();
    }

    private static String path(List<JsonMappingException.Reference> path) {
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference step : path) {
            if (step.getFieldName() != null) {
                text.append(text.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                text.append('[').append(step.getIndex()).append(']');
            }
        }
        return text.toString();
    }

    private static String names(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
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
