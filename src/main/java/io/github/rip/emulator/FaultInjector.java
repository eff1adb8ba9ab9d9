package io.github.rip.emulator;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the emulator misbehave on purpose, per {@link Endpoint}: error answers (429 with Retry-After, 500 on ack…),
 * slow answers, connections cut before or after the request is handled. Get it with {@link D365Emulator#faults()}.
 *
 * <p>Each call queues a rule for the next {@code times} requests to that endpoint; rules of one endpoint apply one
 * after another in the order they were added ({@code failNext(ACK, 500, 2)} then {@code delayNext(ACK, 1s, 1)}: the
 * next two acks fail, the third is slow, the fourth is normal). Faults fire before authentication; a failed or
 * dropped request never reaches its handler, so it changes nothing ({@link #dropResponseNext} is the exception, on
 * purpose). Faulted requests still count in {@link D365Emulator#requestCount}. Thread-safe.
 */
public final class FaultInjector {

    private enum Kind { FAIL, DELAY, DROP_CONNECTION, DROP_RESPONSE }

    private static final class Rule {
        final Kind kind;
        final int status;
        final Map<String, String> headers;
        final String body;
        final Duration delay;
        int remaining;

        Rule(Kind kind, int status, Map<String, String> headers, String body, Duration delay, int times) {
            this.kind = kind;
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.delay = delay;
            this.remaining = times;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final Map<Endpoint, Deque<Rule>> rules = new EnumMap<>(Endpoint.class);

    FaultInjector() {
    }

    /** The next {@code times} requests get {@code status} with a default body in the endpoint's error shape. */
    public FaultInjector failNext(Endpoint endpoint, int status, int times) {
        return failNext(endpoint, status, times, Map.of(), null);
    }

    /**
     * The next {@code times} requests get {@code status} with these headers (e.g. {@code Retry-After: 1}) and body
     * (sent as JSON; null = a default body in the endpoint's error shape, "" = no body).
     */
    public FaultInjector failNext(Endpoint endpoint, int status, int times, Map<String, String> headers, String body) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599, got " + status);
        }
        return add(endpoint, new Rule(Kind.FAIL, status, Map.copyOf(headers == null ? Map.of() : headers), body,
                null, times));
    }

    /** The next {@code times} requests get D365's throttling answer: 429 with {@code Retry-After: <seconds>}. */
    public FaultInjector throttleNext(Endpoint endpoint, int times, int retryAfterSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", String.valueOf(retryAfterSeconds));
        return failNext(endpoint, 429, times, headers, null);
    }

    /** The next {@code times} requests wait {@code delay} before being handled normally (client timeouts). */
    public FaultInjector delayNext(Endpoint endpoint, Duration delay, int times) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive");
        }
        return add(endpoint, new Rule(Kind.DELAY, 0, Map.of(), null, delay, times));
    }

    /**
     * The next {@code times} requests are not handled: the connection is closed without an HTTP answer, like a
     * network cut before the request reached D365. Note that the JDK HttpClient silently retries an idempotent
     * request (GET) once when a connection closes without an answer, so such a client needs {@code times >= 2} to
     * see the failure.
     */
    public FaultInjector dropConnectionNext(Endpoint endpoint, int times) {
        return add(endpoint, new Rule(Kind.DROP_CONNECTION, 0, Map.of(), null, null, times));
    }

    /**
     * The next {@code times} requests ARE handled (an ack acks, a dequeue dequeues) but the answer is lost: the
     * connection closes instead. This is the "ack sent, response never read" case of design-sketch.md §3.
     */
    public FaultInjector dropResponseNext(Endpoint endpoint, int times) {
        return add(endpoint, new Rule(Kind.DROP_RESPONSE, 0, Map.of(), null, null, times));
    }

    /** Removes every pending fault. */
    public synchronized FaultInjector clear() {
        rules.clear();
        return this;
    }

    /** How many injections are still pending for the endpoint (all rules together). */
    public synchronized int pending(Endpoint endpoint) {
        Deque<Rule> queue = rules.get(endpoint);
        return queue == null ? 0 : queue.stream().mapToInt(r -> r.remaining).sum();
    }

    private synchronized FaultInjector add(Endpoint endpoint, Rule rule) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (rule.remaining < 1) {
            throw new IllegalArgumentException("times must be 1 or more, got " + rule.remaining);
        }
        rules.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).addLast(rule);
        return this;
    }

    /** Takes one use of the endpoint's first rule, or null when none is pending. */
    private synchronized Rule take(Endpoint endpoint) {
        Deque<Rule> queue = rules.get(endpoint);
        Rule rule = queue == null ? null : queue.peekFirst();
        if (rule == null) {
            return null;
        }
        if (--rule.remaining == 0) {
            queue.removeFirst();
        }
        return rule;
    }

    /**
     * Applies the next fault of the call's endpoint, if any.
     *
     * @return true if the call is finished (answered or cut) and its handler must not run
     */
    boolean intercept(HttpCall call, Endpoint endpoint) throws IOException {
        Rule rule = endpoint == null ? null : take(endpoint);
        if (rule == null) {
            return false;
        }
        LOG.info("Injecting fault {} into {} {}", describe(rule), call.method(), call.path());
        switch (rule.kind) {
            case FAIL -> {
                rule.headers.forEach(call::setHeader);
                String body = rule.body != null ? rule.body : defaultBody(endpoint, rule.status);
                if (body.isEmpty()) {
                    call.sendEmpty(rule.status);
                } else {
                    call.sendJson(rule.status, body);
                }
                return true;
            }
            case DELAY -> {
                pause(rule.delay);
                return false;
            }
            case DROP_CONNECTION -> {
                // Answering nothing and letting the router close the exchange makes the JDK server close the
                // socket: with no response headers sent, ExchangeImpl.close() closes the connection itself.
                call.abandon();
                return true;
            }
            case DROP_RESPONSE -> {
                call.discardResponse();
                return false;
            }
            default -> throw new IllegalStateException(rule.kind.toString());
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the emulator is stopping: answer now
        }
    }

    private static String describe(Rule rule) {
        return switch (rule.kind) {
            case FAIL -> "HTTP " + rule.status;
            case DELAY -> "delay " + rule.delay;
            case DROP_CONNECTION -> "dropped connection";
            case DROP_RESPONSE -> "dropped response";
        };
    }

    /** Entra's shape for the token endpoint, D365's {Message,StackTrace,ExceptionType} for everything else. */
    private static String defaultBody(Endpoint endpoint, int status) {
        String text = switch (status) {
            // sic: D365's own spelling (d365-api.md §5)
            case 429 -> "Number of requests exeeded the limit of 6000 over the time window of 300 seconds.";
            case 500 -> "An error has occurred.";
            case 503 -> "The service is unavailable.";
            default -> "Fault injected by the D365 emulator (HTTP " + status + ").";
        };
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (endpoint == Endpoint.TOKEN) {
            body.put("error", status == 429 || status >= 500 ? "temporarily_unavailable" : "invalid_request");
            body.put("error_description", "AADSTS50000: " + text);
            return body.toString();
        }
        return ConnectorError.of(status, text).jsonBody();
    }
}
