package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Everything the emulator does is decided here (immutable). Build it in code with {@link #builder()} or load the YAML
 * format of {@code emulator/emulator.yaml} with {@link #load(Reader, UnaryOperator)}.
 *
 * @param host             interface to bind, default 127.0.0.1
 * @param port             port to bind, 0 picks a free one
 * @param dataDir          where certificates, keys, received files and message state are kept
 * @param tenant           the tenant id put in tokens ({@code tid}); any tenant path segment is accepted
 * @param apps             app registrations the token endpoint knows
 * @param jobs             recurring jobs by activity id
 * @param entitySchemas    entity name (case-insensitive) to required column names
 * @param processingDelay  time a message stays Enqueued before processing starts
 * @param processingTime   minimum time a message stays InProcess
 * @param tokenLifetime    lifetime of issued access tokens
 * @param tokenClockSkew   tolerance when checking a bearer token's exp/nbf (real validators allow ~5 min; default 0)
 * @param enumFormat       how jobstatus serializes enums
 * @param dateFormat       how jobstatus serializes dates
 * @param messageIdFormat  how enqueue spells the message id it returns
 * @param maxEnqueueBytes  enqueue bodies above this get 413; 0 = no limit
 * @param defaultCompany   the legal entity reported when an enqueue names none
 * @param maxThreads       size of the HTTP worker pool
 * @param visibilityTimeout how long a dequeued, unacked export message stays hidden before it is offered again
 *                         (D365: 30 minutes, the default)
 * @param redeliveryNewCorrelationId whether a redelivered export message gets a new CorrelationId (it always gets a
 *                         new PopReceipt); D365's behaviour is UNCONFIRMED, default false
 * @param downloadLocationHttpPort80 whether dequeue answers {@code http://<host>:80/…} download URLs, as D365 behind
 *                         its load balancer does; clients must rewrite them to the https base URL
 * @param exports          export publish schedules (generated packages at an interval)
 * @param faults           faults injected from the start (see {@link FaultInjector}); none by default
 */
public record EmulatorConfig(String host, int port, Path dataDir, String tenant, List<AppRegistration> apps,
                             List<RecurringJob> jobs, Map<String, List<String>> entitySchemas,
                             Duration processingDelay, Duration processingTime, Duration tokenLifetime,
                             Duration tokenClockSkew, EnumFormat enumFormat, DateFormat dateFormat,
                             MessageIdFormat messageIdFormat, long maxEnqueueBytes, String defaultCompany,
                             int maxThreads, Duration visibilityTimeout, boolean redeliveryNewCorrelationId,
                             boolean downloadLocationHttpPort80, List<ExportSchedule> exports,
                             List<FaultSpec> faults) {

    /** The classpath location of the shipped example configuration. */
    public static final String DEFAULT_RESOURCE = "emulator/emulator.yaml";

    /** Enum serialization in jobstatus: the contract's integers (default) or their names. */
    public enum EnumFormat { INTEGER, NAME }

    /** Date serialization in jobstatus: ISO-8601 UTC (default) or the old .NET {@code /Date(ms)/} form. */
    public enum DateFormat { ISO, DOTNET }

    /** Spelling of the message id enqueue returns; the emulator accepts every spelling back. */
    public enum MessageIdFormat {
        /** {@code "3f0c…"}, like a Web API GUID serialization. */
        LOWERCASE,
        /** {@code "3F0C…"}. */
        UPPERCASE,
        /** {@code "{3F0C…}"}, as the D365 UI shows GUIDs. */
        BRACED_UPPERCASE;

        /** The id as sent on the wire (without the JSON quotes). */
        public String format(String canonicalId) {
            return switch (this) {
                case LOWERCASE -> canonicalId;
                case UPPERCASE -> canonicalId.toUpperCase(Locale.ROOT);
                case BRACED_UPPERCASE -> "{" + canonicalId.toUpperCase(Locale.ROOT) + "}";
            };
        }
    }

    public EmulatorConfig {
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        dataDir = (dataDir == null ? Path.of("emulator-data") : dataDir).toAbsolutePath().normalize();
        tenant = tenant == null || tenant.isBlank() ? "00000000-0000-0000-0000-000000000365" : tenant;
        apps = apps == null ? List.of() : List.copyOf(apps);
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
        long distinctJobs = jobs.stream().map(RecurringJob::activityId).distinct().count();
        if (distinctJobs != jobs.size()) {
            throw new IllegalArgumentException("Two recurring jobs have the same activityId");
        }
        TreeMap<String, List<String>> schemas = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (entitySchemas != null) {
            entitySchemas.forEach((entity, columns) -> schemas.put(entity, List.copyOf(columns)));
        }
        entitySchemas = Collections.unmodifiableMap(schemas);
        processingDelay = positiveOr(processingDelay, Duration.ofSeconds(2));
        processingTime = positiveOr(processingTime, Duration.ofSeconds(1));
        tokenLifetime = tokenLifetime == null || tokenLifetime.isZero() ? Duration.ofHours(1) : tokenLifetime;
        tokenClockSkew = positiveOr(tokenClockSkew, Duration.ZERO);
        enumFormat = enumFormat == null ? EnumFormat.INTEGER : enumFormat;
        dateFormat = dateFormat == null ? DateFormat.ISO : dateFormat;
        messageIdFormat = messageIdFormat == null ? MessageIdFormat.LOWERCASE : messageIdFormat;
        if (maxEnqueueBytes < 0) {
            throw new IllegalArgumentException("maxEnqueueBytes must be >= 0 (0 = no limit)");
        }
        defaultCompany = defaultCompany == null || defaultCompany.isBlank() ? "DAT" : defaultCompany;
        maxThreads = maxThreads <= 0 ? 16 : maxThreads;
        visibilityTimeout = visibilityTimeout == null || visibilityTimeout.isNegative() || visibilityTimeout.isZero()
                ? Duration.ofMinutes(30) : visibilityTimeout;
        exports = exports == null ? List.of() : List.copyOf(exports);
        faults = faults == null ? List.of() : List.copyOf(faults);
        for (ExportSchedule schedule : exports) {
            boolean exportJob = jobs.stream().anyMatch(j -> j.activityId().equals(schedule.activityId())
                    && j.direction() == RecurringJob.Direction.EXPORT);
            if (!exportJob) {
                throw new IllegalArgumentException("Export schedule for " + schedule.activityId()
                        + " names no recurring job with direction EXPORT");
            }
        }
    }

    /** The configuration's shape before fault injection was configurable: no faults. */
    public EmulatorConfig(String host, int port, Path dataDir, String tenant, List<AppRegistration> apps,
                          List<RecurringJob> jobs, Map<String, List<String>> entitySchemas,
                          Duration processingDelay, Duration processingTime, Duration tokenLifetime,
                          Duration tokenClockSkew, EnumFormat enumFormat, DateFormat dateFormat,
                          MessageIdFormat messageIdFormat, long maxEnqueueBytes, String defaultCompany,
                          int maxThreads, Duration visibilityTimeout, boolean redeliveryNewCorrelationId,
                          boolean downloadLocationHttpPort80, List<ExportSchedule> exports) {
        this(host, port, dataDir, tenant, apps, jobs, entitySchemas, processingDelay, processingTime, tokenLifetime,
                tokenClockSkew, enumFormat, dateFormat, messageIdFormat, maxEnqueueBytes, defaultCompany, maxThreads,
                visibilityTimeout, redeliveryNewCorrelationId, downloadLocationHttpPort80, exports, List.of());
    }

    /** The configuration's shape before the export side existed; export settings take their defaults. */
    public EmulatorConfig(String host, int port, Path dataDir, String tenant, List<AppRegistration> apps,
                          List<RecurringJob> jobs, Map<String, List<String>> entitySchemas,
                          Duration processingDelay, Duration processingTime, Duration tokenLifetime,
                          Duration tokenClockSkew, EnumFormat enumFormat, DateFormat dateFormat,
                          MessageIdFormat messageIdFormat, long maxEnqueueBytes, String defaultCompany,
                          int maxThreads) {
        this(host, port, dataDir, tenant, apps, jobs, entitySchemas, processingDelay, processingTime, tokenLifetime,
                tokenClockSkew, enumFormat, dateFormat, messageIdFormat, maxEnqueueBytes, defaultCompany, maxThreads,
                null, false, false, List.of(), List.of());
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isNegative() ? fallback : value;
    }

    /** The required columns of an entity, empty when no schema is configured. */
    public List<String> requiredColumns(String entity) {
        return entity == null ? List.of() : entitySchemas.getOrDefault(entity, List.of());
    }

    /** Reads the YAML format; {@code resolver} replaces property placeholders in every string value. */
    public static EmulatorConfig load(Reader yaml, UnaryOperator<String> resolver) {
        return EmulatorConfigYaml.parse(yaml, resolver == null ? UnaryOperator.identity() : resolver);
    }

    /** Loads the shipped {@code emulator/emulator.yaml}. */
    public static EmulatorConfig loadDefault(UnaryOperator<String> resolver) {
        try (InputStream in = EmulatorConfig.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + DEFAULT_RESOURCE);
            }
            return load(new InputStreamReader(in, StandardCharsets.UTF_8), resolver);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder().host(host).port(port).dataDir(dataDir).tenant(tenant)
                .processingDelay(processingDelay).processingTime(processingTime).tokenLifetime(tokenLifetime)
                .tokenClockSkew(tokenClockSkew).enumFormat(enumFormat).dateFormat(dateFormat)
                .messageIdFormat(messageIdFormat).maxEnqueueBytes(maxEnqueueBytes).defaultCompany(defaultCompany)
                .maxThreads(maxThreads).visibilityTimeout(visibilityTimeout)
                .redeliveryNewCorrelationId(redeliveryNewCorrelationId)
                .downloadLocationHttpPort80(downloadLocationHttpPort80);
        exports.forEach(b::export);
        faults.forEach(b::fault);
        apps.forEach(b::app);
        jobs.forEach(b::job);
        entitySchemas.forEach(b::entitySchema);
        return b;
    }

    /** Mutable builder; unset values take the defaults documented on the record. */
    public static final class Builder {
        private String host;
        private int port;
        private Path dataDir;
        private String tenant;
        private final List<AppRegistration> apps = new ArrayList<>();
        private final List<RecurringJob> jobs = new ArrayList<>();
        private final Map<String, List<String>> entitySchemas = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Duration processingDelay;
        private Duration processingTime;
        private Duration tokenLifetime;
        private Duration tokenClockSkew;
        private EnumFormat enumFormat;
        private DateFormat dateFormat;
        private MessageIdFormat messageIdFormat;
        private long maxEnqueueBytes;
        private String defaultCompany;
        private int maxThreads;
        private Duration visibilityTimeout;
        private boolean redeliveryNewCorrelationId;
        private boolean downloadLocationHttpPort80;
        private final List<ExportSchedule> exports = new ArrayList<>();
        private final List<FaultSpec> faults = new ArrayList<>();

        private Builder() {
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder tenant(String v) { tenant = v; return this; }
        public Builder app(AppRegistration v) { apps.add(v); return this; }
        public Builder job(RecurringJob v) { jobs.add(v); return this; }
        public Builder entitySchema(String entity, List<String> requiredColumns) {
            entitySchemas.put(entity, requiredColumns);
            return this;
        }
        public Builder processingDelay(Duration v) { processingDelay = v; return this; }
        public Builder processingTime(Duration v) { processingTime = v; return this; }
        public Builder tokenLifetime(Duration v) { tokenLifetime = v; return this; }
        public Builder tokenClockSkew(Duration v) { tokenClockSkew = v; return this; }
        public Builder enumFormat(EnumFormat v) { enumFormat = v; return this; }
        public Builder dateFormat(DateFormat v) { dateFormat = v; return this; }
        public Builder messageIdFormat(MessageIdFormat v) { messageIdFormat = v; return this; }
        public Builder maxEnqueueBytes(long v) { maxEnqueueBytes = v; return this; }
        public Builder defaultCompany(String v) { defaultCompany = v; return this; }
        public Builder maxThreads(int v) { maxThreads = v; return this; }
        public Builder visibilityTimeout(Duration v) { visibilityTimeout = v; return this; }
        public Builder redeliveryNewCorrelationId(boolean v) { redeliveryNewCorrelationId = v; return this; }
        public Builder downloadLocationHttpPort80(boolean v) { downloadLocationHttpPort80 = v; return this; }
        public Builder export(ExportSchedule v) { exports.add(v); return this; }
        public Builder fault(FaultSpec v) { faults.add(v); return this; }

        public EmulatorConfig build() {
            return new EmulatorConfig(host, port, dataDir, tenant, apps, jobs, entitySchemas, processingDelay,
                    processingTime, tokenLifetime, tokenClockSkew, enumFormat, dateFormat, messageIdFormat,
                    maxEnqueueBytes, defaultCompany, maxThreads, visibilityTimeout, redeliveryNewCorrelationId,
                    downloadLocationHttpPort80, exports, faults);
        }
    }
}
