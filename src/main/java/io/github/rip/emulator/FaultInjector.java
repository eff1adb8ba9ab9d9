package io.github.rip.emulator;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the emulator misbehave on purpose, per {@link Endpoint}: error answers (429 with Retry-After, 500 on ack…),
 * slow answers, connections cut before or after the request is handled. Get it with {@link D365Emulator#faults()};
 * faults also come from the {@code faults:} list of emulator.yaml and the {@code /admin/faults} endpoint
 * ({@code FaultAdminApi}).
 *
 * <p>Each fault is a {@link FaultSpec} with an id; it lasts for a number of requests, a time, or until removed. Faults
 * of one endpoint apply one after another in the order they were added ({@code failNext(ACK, 500, 2)} then {@code
 * delayNext(ACK, 1s, 1)}: the next two acks fail, the third is slow, the fourth is normal); one without a count or
 * time limit holds back those behind it until it is removed. Faults fire before authentication; a failed or dropped
 * request never reaches its handler, so it changes nothing ({@link #dropResponseNext} is the exception, on purpose).
 * Faulted requests still count in {@link D365Emulator#requestCount}. Thread-safe.
 */
public final class FaultInjector {

    /**
     * A fault that is still pending.
     *
     * @param remaining requests it still applies to, null when it has no count limit
     * @param until     when it stops applying, null when it has no time limit
     */
    public record ActiveFault(long id, FaultSpec spec, Integer remaining, Instant until) {
    }

    private static final class Rule {
        final long id;
        final FaultSpec spec;
        final Instant until;
        Integer remaining;

        Rule(long id, FaultSpec spec, Instant until) {
            this.id = id;
            this.spec = spec;
            this.until = until;
            this.remaining = spec.times();
        }

        boolean expired(Instant now) {
            return until != null && !now.isBefore(until);
        }

        ActiveFault snapshot() {
            return new ActiveFault(id, spec, remaining, until);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final Map<Endpoint, Deque<Rule>> rules = new EnumMap<>(Endpoint.class);
    private final Clock clock;
    private long lastId;

    FaultInjector() {
        this(Clock.systemUTC());
    }

    FaultInjector(Clock clock) {
        this.clock = clock;
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
        add(FaultSpec.fail(endpoint, status, headers, body, times));
        return this;
    }

    /** The next {@code times} requests get D365's throttling answer: 429 with {@code Retry-After: <seconds>}. */
    public FaultInjector throttleNext(Endpoint endpoint, int times, int retryAfterSeconds) {
        add(FaultSpec.throttle(endpoint, retryAfterSeconds, times));
        return this;
    }

    /** The next {@code times} requests wait {@code delay} before being handled normally (client timeouts). */
    public FaultInjector delayNext(Endpoint endpoint, Duration delay, int times) {
        add(FaultSpec.delay(endpoint, delay, times));
        return this;
    }

    /**
     * The next {@code times} requests are not handled: the connection is closed without an HTTP answer, like a
     * network cut before the request reached D365. Note that the JDK HttpClient silently retries an idempotent
     * request (GET) once when a connection closes without an answer, so such a client needs {@code times >= 2} to
     * see the failure.
     */
    public FaultInjector dropConnectionNext(Endpoint endpoint, int times) {
        add(FaultSpec.dropConnection(endpoint, times));
        return this;
    }

    /**
     * The next {@code times} requests ARE handled (an ack acks, a dequeue dequeues) but the answer is lost: the
     * connection closes instead. This is the "ack sent, response never read" case of the export crash windows in docs/architecture.md.
     */
    public FaultInjector dropResponseNext(Endpoint endpoint, int times) {
        add(FaultSpec.dropResponse(endpoint, times));
        return this;
    }

    /**
     * The next {@code times} requests break off half way through their body: the emulator reads half of it, then
     * closes the connection without an answer and without handling the request (an upload cut by the network).
     */
    public FaultInjector cutUploadNext(Endpoint endpoint, int times) {
        add(FaultSpec.cutUpload(endpoint, times));
        return this;
    }

    /** Queues a fault behind the endpoint's pending ones; its time limit, if any, starts now. */
    public synchronized ActiveFault add(FaultSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Instant until = spec.duration() == null ? null : clock.instant().plus(spec.duration());
        Rule rule = new Rule(++lastId, spec, until);
        rules.computeIfAbsent(spec.endpoint(), e -> new ArrayDeque<>()).addLast(rule);
        return rule.snapshot();
    }

    /** The pending faults of every endpoint, oldest first. */
    public synchronized List<ActiveFault> active() {
        Instant now = clock.instant();
        rules.values().forEach(queue -> queue.removeIf(rule -> rule.expired(now)));
        return rules.values().stream().flatMap(Deque::stream).sorted(Comparator.comparingLong(r -> r.id))
                .map(Rule::snapshot).toList();
    }

    /** Removes one fault; false when no pending fault has this id. */
    public synchronized boolean remove(long id) {
        return rules.values().stream().anyMatch(queue -> queue.removeIf(rule -> rule.id == id));
    }

    /** Removes every pending fault; returns how many there were. */
    public synchronized int removeAll() {
        int removed = active().size();
        rules.clear();
        return removed;
    }

    /** Removes every pending fault. */
    public FaultInjector clear() {
        removeAll();
        return this;
    }

    /**
     * How many injections are still pending for the endpoint (all faults together); {@link Integer#MAX_VALUE} when
     * one of them has no count limit.
     */
    public synchronized int pending(Endpoint endpoint) {
        Deque<Rule> queue = rules.get(endpoint);
        if (queue == null) {
            return 0;
        }
        Instant now = clock.instant();
        queue.removeIf(rule -> rule.expired(now));
        long sum = queue.stream().mapToLong(r -> r.remaining == null ? Integer.MAX_VALUE : r.remaining).sum();
        return (int) Math.min(sum, Integer.MAX_VALUE);
    }

    /** Takes one use of the endpoint's first unexpired fault, or null when none is pending. */
    private synchronized FaultSpec take(Endpoint endpoint) {
        Deque<Rule> queue = rules.get(endpoint);
        if (queue == null) {
            return null;
        }
        Instant now = clock.instant();
        queue.removeIf(rule -> rule.expired(now));
        Rule rule = queue.peekFirst();
        if (rule == null) {
            return null;
        }
        if (rule.remaining != null && --rule.remaining == 0) {
            queue.removeFirst();
        }
        return rule.spec;
    }

    /**
     * Applies the next fault of the call's endpoint, if any.
     *
     * @return true if the call is finished (answered or cut) and its handler must not run
     */
    boolean intercept(HttpCall call, Endpoint endpoint) throws IOException {
        FaultSpec fault = endpoint == null ? null : take(endpoint);
        if (fault == null) {
            return false;
        }
        LOG.info("Injecting fault {} into {} {}", fault.describe(), call.method(), call.path());
        switch (fault.kind()) {
            case FAIL, THROTTLE -> {
                fault.headers().forEach(call::setHeader);
                String body = fault.body() != null ? fault.body() : defaultBody(endpoint, fault.status());
                if (body.isEmpty()) {
                    call.sendEmpty(fault.status());
                } else {
                    call.sendJson(fault.status(), body);
                }
                return true;
            }
            case DELAY -> {
                pause(fault.delay());
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
            case CUT_UPLOAD -> {
                // half of what the client declared (or a first chunk of a chunked body) arrives, then the line drops
                long half = call.declaredLength() > 0 ? call.declaredLength() / 2 : 8 * 1024;
                call.body().readNBytes((int) Math.min(half, Integer.MAX_VALUE));
                call.abandon();
                return true;
            }
            default -> throw new IllegalStateException(fault.kind().toString());
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the emulator is stopping: answer now
        }
    }

    /** Entra's shape for the token endpoint, D365's {Message,StackTrace,ExceptionType} for everything else. */
    private static String defaultBody(Endpoint endpoint, int status) {
        String text = switch (status) {
            // sic: D365's own spelling (docs/d365-api.md §5)
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
