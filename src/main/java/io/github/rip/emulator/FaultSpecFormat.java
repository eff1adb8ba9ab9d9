package io.github.rip.emulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one reader of a fault entry, for both an entry of emulator.yaml's {@code faults:} list and the JSON body of
 * {@code POST /admin/faults}, so both accept exactly the same keys and values:
 * <pre>
 * endpoint: enqueue            # token, enqueue, jobstatus, dequeue, download, ack, admin, the package API's
 *                              # get-azure-write-url, import-from-package, export-to-package,
 *                              # get-execution-summary-status, get-exported-package-url, get-execution-errors,
 *                              # and the blob storage's blob-upload, blob-download
 * kind: fail                   # fail, throttle, delay, drop-connection, drop-response, cut-upload
 * status: 503                  # fail: HTTP status; optional headers: {name: value}, body: text or JSON
 * retryAfter: 5                # throttle: Retry-After seconds
 * delay: 2s                    # delay: wait before handling
 * times: 3                     # optional: the next 3 requests
 * for: 10m                     # optional: every request for 10 minutes; neither times nor for = until removed
 * </pre>
 * Errors are IllegalArgumentExceptions naming the key and the accepted values; callers add where the entry was.
 */
final class FaultSpecFormat {

    private static final List<String> COMMON_KEYS = List.of("endpoint", "kind", "times", "for");
    private static final Map<FaultSpec.Kind, List<String>> KIND_KEYS = Map.of(
            FaultSpec.Kind.FAIL, List.of("status", "headers", "body"),
            FaultSpec.Kind.THROTTLE, List.of("retryAfter"),
            FaultSpec.Kind.DELAY, List.of("delay"),
            FaultSpec.Kind.DROP_CONNECTION, List.of(),
            FaultSpec.Kind.DROP_RESPONSE, List.of(),
            FaultSpec.Kind.CUT_UPLOAD, List.of());
    private static final String ALL_KEYS = "endpoint, kind, times, for, and by kind: status, headers, body (fail),"
            + " retryAfter (throttle), delay (delay)";

    private final Map<String, ?> entry;
    private final UnaryOperator<String> resolver;

    private FaultSpecFormat(Map<String, ?> entry, UnaryOperator<String> resolver) {
        this.entry = entry;
        this.resolver = resolver;
    }

    /** Reads one entry; {@code resolver} replaces property placeholders in its text values (identity for JSON). */
    static FaultSpec parse(Map<String, ?> entry, UnaryOperator<String> resolver) {
        return new FaultSpecFormat(entry, resolver == null ? UnaryOperator.identity() : resolver).spec();
    }

    private FaultSpec spec() {
        Set<String> known = new LinkedHashSet<>(COMMON_KEYS);
        KIND_KEYS.values().forEach(known::addAll);
        for (String key : entry.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "'; a fault takes " + ALL_KEYS);
            }
        }
        Endpoint endpoint = choice("endpoint", Endpoint.class, FaultSpec.endpointWireNames());
        FaultSpec.Kind kind = choice("kind", FaultSpec.Kind.class, FaultSpec.Kind.wireNames());
        List<String> kindKeys = KIND_KEYS.get(kind);
        for (String key : entry.keySet()) {
            if (!COMMON_KEYS.contains(key) && !kindKeys.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' does not apply to a " + kind.wireName()
                        + " fault; it takes " + String.join(", ", COMMON_KEYS)
                        + (kindKeys.isEmpty() ? "" : ", " + String.join(", ", kindKeys)));
            }
        }
        Integer times = wholeNumber("times");
        Duration duration = duration("for");
        FaultSpec spec = switch (kind) {
            case FAIL -> FaultSpec.fail(endpoint, required(wholeNumber("status"), "status", kind,
                    "an HTTP status 200..599"), headers(), body(), times);
            case THROTTLE -> FaultSpec.throttle(endpoint, required(wholeNumber("retryAfter"), "retryAfter", kind,
                    "whole seconds, 0 or more"), times);
            case DELAY -> FaultSpec.delay(endpoint, required(duration("delay"), "delay", kind,
                    "a duration like 2s"), times);
            case DROP_CONNECTION -> FaultSpec.dropConnection(endpoint, times);
            case DROP_RESPONSE -> FaultSpec.dropResponse(endpoint, times);
            case CUT_UPLOAD -> FaultSpec.cutUpload(endpoint, times);
        };
        return duration == null ? spec : spec.lasting(duration);
    }

    /** The JSON form of a pending fault: the entry's keys plus id, remaining (count limit) and until (time limit). */
    static ObjectNode toJson(FaultInjector.ActiveFault fault) {
        FaultSpec spec = fault.spec();
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", fault.id());
        json.put("endpoint", FaultSpec.wireName(spec.endpoint()));
        json.put("kind", spec.kind().wireName());
        switch (spec.kind()) {
            case FAIL -> {
                json.put("status", spec.status());
                if (!spec.headers().isEmpty()) {
                    ObjectNode headers = json.putObject("headers");
                    spec.headers().forEach(headers::put);
                }
                if (spec.body() != null) {
                    json.put("body", spec.body());
                }
            }
            case THROTTLE -> json.put("retryAfter", spec.retryAfter());
            case DELAY -> json.put("delay", spec.delay().toString());
            default -> { }
        }
        if (spec.times() != null) {
            json.put("times", spec.times());
            json.put("remaining", fault.remaining());
        }
        if (spec.duration() != null) {
            json.put("for", spec.duration().toString());
            json.put("until", fault.until().toString());
        }
        return json;
    }

    private <E extends Enum<E>> E choice(String key, Class<E> type, List<String> accepted) {
        String value = text(key);
        if (value == null) {
            throw new IllegalArgumentException("needs '" + key + "', one of " + String.join(", ", accepted));
        }
        String wanted = value.replace('-', '_').toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + key + "' must be one of " + String.join(", ", accepted) + "; got "
                + value);
    }

    private static <T> T required(T value, String key, FaultSpec.Kind kind, String what) {
        if (value == null) {
            throw new IllegalArgumentException("a " + kind.wireName() + " fault needs '" + key + "', " + what);
        }
        return value;
    }

    private Integer wholeNumber(String key) {
        String value = text(key);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number, got " + value);
        }
    }

    private Duration duration(String key) {
        String value = text(key);
        if (value == null) {
            return null;
        }
        try {
            return YamlValues.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + key + "' must be a duration like PT2S, 200ms, 2s, 5m or 1h; got "
                    + value);
        }
    }

    private Map<String, String> headers() {
        Object value = entry.get("headers");
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'headers' must be a mapping of header name to value, got " + value);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        map.forEach((name, headerValue) -> {
            if (headerValue instanceof Map || headerValue instanceof List || headerValue == null) {
                throw new IllegalArgumentException("'headers." + name + "' must be a single value");
            }
            headers.put(String.valueOf(name), resolver.apply(String.valueOf(headerValue)));
        });
        return headers;
    }

    /** Text as it is ("" = no body), or a mapping / list written as JSON, so YAML can spell a JSON body naturally. */
    private String body() {
        Object value = entry.get("body");
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            try {
                return Json.MAPPER.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("'body' cannot be written as JSON: " + e.getOriginalMessage());
            }
        }
        return resolver.apply(String.valueOf(value));
    }

    /** A single value, placeholders resolved, trimmed; null when absent or blank. */
    private String text(String key) {
        Object value = entry.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException("'" + key + "' must be a single value, got " + value);
        }
        String resolved = resolver.apply(String.valueOf(value));
        return resolved == null || resolved.isBlank() ? null : resolved.trim();
    }
}
