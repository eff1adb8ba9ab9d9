package io.github.rip.emulator;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One fault to inject, as written in the {@code faults:} list of emulator.yaml or posted to {@code /admin/faults}
 * (both read by {@code FaultSpecFormat}). How long it lasts: the next {@code times} requests, every request for
 * {@code duration} after it is added, both (whichever ends first), or neither: until removed.
 *
 * @param endpoint   which endpoint misbehaves
 * @param kind       what it does
 * @param status     FAIL: the HTTP status (200..599); THROTTLE: always 429; otherwise 0
 * @param headers    FAIL: extra response headers; THROTTLE: {@code Retry-After}; otherwise empty
 * @param body       FAIL: the JSON body, "" for none, null for a default one in the endpoint's error shape
 * @param retryAfter THROTTLE: the Retry-After seconds; otherwise null
 * @param delay      DELAY: how long each request waits before it is handled; otherwise null
 * @param times      how many requests it applies to; null = no count limit
 * @param duration   how long after it is added it applies; null = no time limit
 */
public record FaultSpec(Endpoint endpoint, Kind kind, int status, Map<String, String> headers, String body,
                        Integer retryAfter, Duration delay, Integer times, Duration duration) {

    /** What a fault does to a request. */
    public enum Kind {
        /** Answers {@code status} (and headers, body) instead of the handler. */
        FAIL,
        /** D365's throttling answer: 429 with {@code Retry-After}. */
        THROTTLE,
        /** Waits, then lets the request be handled normally (client timeouts). */
        DELAY,
        /** Closes the connection without an answer; the request is not handled. */
        DROP_CONNECTION,
        /** Handles the request, then closes the connection instead of answering. */
        DROP_RESPONSE,
        /**
         * Reads half of the request's body, then closes the connection without an answer: an upload that breaks off
         * half way. The request is not handled (a blob stays unwritten, an enqueue unrecorded).
         */
        CUT_UPLOAD;

        /** The spelling used in YAML and JSON: {@code drop-connection}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static List<String> wireNames() {
            return Arrays.stream(values()).map(Kind::wireName).toList();
        }
    }

    public FaultSpec {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(kind, "kind");
        headers = headers == null || kind != Kind.FAIL ? Map.of() : Map.copyOf(headers);
        body = kind == Kind.FAIL ? body : null;
        retryAfter = kind == Kind.THROTTLE ? retryAfter : null;
        delay = kind == Kind.DELAY ? delay : null;
        if (kind == Kind.THROTTLE) {
            if (retryAfter == null || retryAfter < 0) {
                throw new IllegalArgumentException("'retryAfter' must be a whole number of seconds, 0 or more, got "
                        + retryAfter);
            }
            status = 429;
            headers = Map.of("Retry-After", String.valueOf(retryAfter));
        } else if (kind == Kind.FAIL) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("'status' must be an HTTP status 200..599, got " + status);
            }
        } else {
            status = 0;
        }
        if (kind == Kind.DELAY && (delay == null || delay.isNegative())) {
            throw new IllegalArgumentException("'delay' must be a duration of zero or more, got " + delay);
        }
        if (times != null && times < 1) {
            throw new IllegalArgumentException("'times' must be 1 or more, got " + times);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("'for' must be a duration longer than zero, got " + duration);
        }
    }

    /** Answers {@code status} with these headers and body (null = default body) for the next {@code times} requests. */
    public static FaultSpec fail(Endpoint endpoint, int status, Map<String, String> headers, String body,
                                 Integer times) {
        return new FaultSpec(endpoint, Kind.FAIL, status, headers, body, null, null, times, null);
    }

    /** 429 with {@code Retry-After: retryAfterSeconds} for the next {@code times} requests. */
    public static FaultSpec throttle(Endpoint endpoint, int retryAfterSeconds, Integer times) {
        return new FaultSpec(endpoint, Kind.THROTTLE, 429, null, null, retryAfterSeconds, null, times, null);
    }

    public static FaultSpec delay(Endpoint endpoint, Duration delay, Integer times) {
        return new FaultSpec(endpoint, Kind.DELAY, 0, null, null, null, delay, times, null);
    }

    public static FaultSpec dropConnection(Endpoint endpoint, Integer times) {
        return new FaultSpec(endpoint, Kind.DROP_CONNECTION, 0, null, null, null, null, times, null);
    }

    public static FaultSpec dropResponse(Endpoint endpoint, Integer times) {
        return new FaultSpec(endpoint, Kind.DROP_RESPONSE, 0, null, null, null, null, times, null);
    }

    public static FaultSpec cutUpload(Endpoint endpoint, Integer times) {
        return new FaultSpec(endpoint, Kind.CUT_UPLOAD, 0, null, null, null, null, times, null);
    }

    /** The same fault, applying every request for {@code duration} after it is added (and still at most times). */
    public FaultSpec lasting(Duration duration) {
        return new FaultSpec(endpoint, kind, status, headers, body, retryAfter, delay, times, duration);
    }

    /** Short text for logs: "HTTP 503", "delay PT2S"… */
    String describe() {
        return switch (kind) {
            case FAIL, THROTTLE -> "HTTP " + status;
            case DELAY -> "delay " + delay;
            case DROP_CONNECTION -> "dropped connection";
            case DROP_RESPONSE -> "dropped response";
            case CUT_UPLOAD -> "upload cut half way";
        };
    }

    /** The endpoint's spelling in YAML and JSON: {@code jobstatus}. */
    static String wireName(Endpoint endpoint) {
        return endpoint.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static List<String> endpointWireNames() {
        return Arrays.stream(Endpoint.values()).map(FaultSpec::wireName).toList();
    }
}
