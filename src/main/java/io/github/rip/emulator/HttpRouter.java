package io.github.rip.emulator;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches requests through a small route table ({@code METHOD /literal/{param}/…}); new endpoints (dequeue,
 * download, ack, the package API) are one {@link #route} call each. Literal segments match ignoring case, like
 * ASP.NET routing, and {@code /api/…} and {@code /data/…} routes also match behind a language segment ({@code /en/api/…}).
 */
final class HttpRouter implements HttpHandler {

    /** Answers one matched request; may throw an {@link HttpProblem} for an error answer. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpCall call) throws Exception;
    }

    private record Route(String method, String[] segments, String name, Handler handler, boolean faultable) {
    }

    private record Match(Route route, Map<String, String> params) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final int REQUEST_LOG_SIZE = 1000;

    private final List<Route> routes = new ArrayList<>();
    private final Deque<String> requestLog = new ArrayDeque<>();
    /** Where the bearer tokens of all requests are fingerprinted (any route, known or not); null: nowhere. */
    private TokenFingerprints fingerprints;
    private final FaultInjector faults = new FaultInjector();
    private final Map<Endpoint, AtomicInteger> requestCounts = new EnumMap<>(Endpoint.class);
    /** Requests of each endpoint being handled right now (a delay fault's wait included), and the most at once. */
    private final Map<Endpoint, AtomicInteger> inFlight = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, AtomicInteger> peakInFlight = new EnumMap<>(Endpoint.class);

    HttpRouter() {
        for (Endpoint endpoint : Endpoint.values()) {
            requestCounts.put(endpoint, new AtomicInteger());
            inFlight.put(endpoint, new AtomicInteger());
            peakInFlight.put(endpoint, new AtomicInteger());
        }
    }

    /** Adds a route; {@code pattern} like {@code /api/connector/enqueue/{activityId}}. */
    HttpRouter route(String method, String pattern, String name, Handler handler) {
        routes.add(new Route(method, segments(pattern), name, handler, true));
        return this;
    }

    /**
     * Adds a route that fault injection never touches (it is still counted): the routes that remove faults, so a
     * fault on {@link Endpoint#ADMIN} cannot lock its own off switch.
     */
    HttpRouter routeWithoutFaults(String method, String pattern, String name, Handler handler) {
        routes.add(new Route(method, segments(pattern), name, handler, false));
        return this;
    }

    /** The fault injector every matched request passes before its handler. */
    FaultInjector faults() {
        return faults;
    }

    /** Requests that reached the endpoint's routes, faulted ones included. */
    int requestCount(Endpoint endpoint) {
        return requestCounts.get(endpoint).get();
    }

    /** The most requests of the endpoint that were handled at the same time so far. */
    int peakInFlight(Endpoint endpoint) {
        return peakInFlight.get(endpoint).get();
    }

    /** "METHOD /raw/path" of the latest requests (no query strings: they may carry ids but never secrets anyway). */
    void fingerprintTokensInto(TokenFingerprints fingerprints) {
        this.fingerprints = fingerprints;
    }

    List<String> requestLog() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        remember(method + " " + rawPath);
        if (fingerprints != null) {
            fingerprints.presented(exchange.getRequestHeaders().getFirst("Authorization"));
        }
        HttpCall call = null;
        try {
            String[] path = segments(rawPath);
            Match match = find(method, path);
            if (match == null) {
                boolean otherMethod = routes.stream().anyMatch(r -> matches(r, path) != null
                        || matches(r, withoutLanguage(path)) != null);
                call = new HttpCall(exchange, otherMethod ? "method-not-allowed" : "not-found", Map.of());
                if (otherMethod) {
                    call.sendJson(405, "{\"Message\":\"The requested resource does not support http method '"
                            + method + "'.\"}");
                } else {
                    call.sendJson(404, "{\"Message\":\"No HTTP resource was found that matches the request URI '"
                            + rawPath.replace("\"", "") + "'.\"}");
                }
                return;
            }
            call = new HttpCall(exchange, match.route().name(), match.params());
            Endpoint endpoint = Endpoint.forRoute(match.route().name());
            if (endpoint != null) {
                requestCounts.get(endpoint).incrementAndGet();
                int now = inFlight.get(endpoint).incrementAndGet();
                peakInFlight.get(endpoint).accumulateAndGet(now, Math::max);
            }
            try {
                if (match.route().faultable() && faults.intercept(call, endpoint)) {
                    return;
                }
                match.route().handler().handle(call);
            } finally {
                if (endpoint != null) {
                    inFlight.get(endpoint).decrementAndGet();
                }
            }
            if (!call.hasResponded()) {
                throw new IllegalStateException("Route " + match.route().name() + " sent no response");
            }
        } catch (HttpProblem problem) {
            respond(exchange, call, problem);
        } catch (IOException e) {
            LOG.debug("{} {}: connection problem: {}", method, rawPath, e.toString());
        } catch (Exception e) {
            LOG.error("{} {} failed", method, rawPath, e);
            respond(exchange, call, ConnectorError.of(500, "An error has occurred."));
        } finally {
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange, HttpCall call, HttpProblem problem) {
        HttpCall target = call != null ? call : new HttpCall(exchange, "error", Map.of());
        if (target.hasResponded()) {
            return;
        }
        try {
            problem.headers().forEach(target::setHeader);
            target.sendJson(problem.status(), problem.jsonBody());
        } catch (IOException e) {
            LOG.debug("Could not send error response: {}", e.toString());
        }
    }

    private Match find(String method, String[] path) {
        String[] unprefixed = withoutLanguage(path);
        for (Route route : routes) {
            if (!route.method().equalsIgnoreCase(method)) {
                continue;
            }
            Map<String, String> params = matches(route, path);
            if (params == null && unprefixed != null && isLanguageCapable(route)) {
                params = matches(route, unprefixed);
            }
            if (params != null) {
                return new Match(route, params);
            }
        }
        return null;
    }

    private static boolean isLanguageCapable(Route route) {
        return route.segments().length > 0
                && (route.segments()[0].equalsIgnoreCase("api") || route.segments()[0].equalsIgnoreCase("data"));
    }

    /** The path without a leading language segment, or null if it has none. */
    private static String[] withoutLanguage(String[] path) {
        if (path == null || path.length < 2 || !LANGUAGE.matcher(path[0]).matches()
                || !(path[1].equalsIgnoreCase("api") || path[1].equalsIgnoreCase("data"))) {
            return null;
        }
        String[] rest = new String[path.length - 1];
        System.arraycopy(path, 1, rest, 0, rest.length);
        return rest;
    }

    private static Map<String, String> matches(Route route, String[] path) {
        if (path == null || path.length != route.segments().length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < path.length; i++) {
            String expected = route.segments()[i];
            if (expected.startsWith("{") && expected.endsWith("}")) {
                params.put(expected.substring(1, expected.length() - 1), HttpCall.decodePathSegment(path[i]));
            } else if (!expected.equalsIgnoreCase(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] segments(String path) {
        String trimmed = path == null ? "" : path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }

    private void remember(String line) {
        synchronized (requestLog) {
            if (requestLog.size() == REQUEST_LOG_SIZE) {
                requestLog.removeFirst();
            }
            requestLog.addLast(line);
        }
    }
}
