package io.github.rip.operations;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The door of the runner's HTTP server (Camel's embedded Vert.x server, camel.server.*), in front of every path, installed
 * through the server's own authentication hook before it starts: {@code /observe/*} (health, metrics) is read-only
 * and open; everything else (the dashboard and /api) needs the login {@link DashboardAccess} asks for, or, without a
 * login, a request addressed to this machine by a loopback name (a web page cannot rebind its own host name to
 * 127.0.0.1 and read the API). Requests that change something (POST) also need the CSRF token of /api/session in the
 * X-Rip-Csrf header and no foreign Origin, unless they come with the bearer token (which browsers never add on their
 * own). Every answer gets headers that keep it out of frames, caches and other sites' scripts.
 */
final class HttpGuard implements AuthenticationHandler {

    /** The request header the API reads the actor from; set here only, any copy sent by a client is dropped. */
    static final String ACTOR_HEADER = "X-Rip-Actor";
    static final String CSRF_HEADER = "X-Rip-Csrf";
    private static final String REALM = "Recurring Integrations Pack";
    /** The page itself (no data in it): open when the only login is a bearer token, which a browser cannot prompt for. */
    private static final Set<String> PAGE = Set.of("/", "/index.html", "/dashboard.js", "/dashboard.css");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final DashboardAccess access;
    private volatile boolean installed;

    HttpGuard(DashboardAccess access) {
        this.access = access;
    }

    /**
     * Puts the guard in front of the embedded server before it listens: Camel Main creates the server (initialised, not
     * started) before the runner's configuration runs, so it is usually there already; otherwise it is caught when
     * added. The server reads its authentication entries only when it starts.
     */
    void install(CamelContext context) {
        MainHttpServer existing = context.hasService(MainHttpServer.class);
        if (existing != null) {
            guard(existing);
        }
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onServiceAdd(CamelContext camelContext, Service service, Route route) {
                if (service instanceof MainHttpServer server) {
                    guard(server);
                }
            }
        });
    }

    private synchronized void guard(MainHttpServer server) {
        AuthenticationConfig config = server.getConfiguration().getAuthenticationConfig();
        if (config.getEntries().stream().anyMatch(entry -> entry instanceof GuardEntry)) {
            return;
        }
        GuardEntry entry = new GuardEntry();
        entry.setPath("/*");
        // the hook wants a Vert.x provider; the guard checks credentials itself
        entry.setAuthenticationProviderFactory(vertx -> (credentials, handler) ->
                handler.handle(Future.failedFuture("not used")));
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                return HttpGuard.this;
            }
        });
        config.getEntries().add(entry);
        config.setEnabled(true);
        installed = true;
    }

    /** The guard's entry among the server's authentication entries (recognised so it is added once). */
    private static final class GuardEntry extends AuthenticationConfig.AuthenticationConfigEntry {
    }

    /** Whether the server was seen and guarded (the start is refused otherwise: an unguarded API must not serve). */
    boolean isInstalled() {
        return installed;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = ctx.normalizedPath();
        boolean observe = path.equals("/observe") || path.startsWith("/observe/");
        ctx.addHeadersEndHandler(ignored -> securityHeaders(ctx.response().headers(), observe));
        if (observe) {
            if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
                ctx.next();
            } else {
                refuse(ctx, 405, "/observe is read-only");
            }
            return;
        }
        request.headers().remove(ACTOR_HEADER);
        if (!access.loginRequired()) {
            if (!addressedToLoopback(request.authority() == null ? null : request.authority().host())) {
                refuse(ctx, 403, "this dashboard answers only to localhost, 127.0.0.1 or [::1] (it has no login)");
                return;
            }
            proceed(ctx, "local", false);
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (access.tokenMatches(authorization.substring(7).trim())) {
                proceed(ctx, "token", true);
            } else {
                challenge(ctx, "the bearer token is not the one in rip.dashboard.token-file");
            }
            return;
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6) && access.acceptsBasic()) {
            basic(ctx, authorization.substring(6).trim());
            return;
        }
        if (!access.acceptsBasic() && request.method() == HttpMethod.GET && PAGE.contains(path)) {
            ctx.next(); // the page, without data; its API calls carry the token
            return;
        }
        challenge(ctx, "log in first");
    }

    private void basic(RoutingContext ctx, String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            challenge(ctx, "malformed Basic credentials");
            return;
        }
        int colon = decoded.indexOf(':');
        String name = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        if (access.recentlyVerified(decoded)) {
            proceed(ctx, name, false);
            return;
        }
        // PBKDF2 takes a noticeable moment: never on the event loop, and the request waits paused meanwhile
        ctx.request().pause();
        ctx.vertx().executeBlocking(() -> access.verifyBasic(name, password), false).onComplete(result -> {
            ctx.request().resume();
            if (result.succeeded() && Boolean.TRUE.equals(result.result())) {
                proceed(ctx, name, false);
            } else {
                challenge(ctx, "wrong user name or password");
            }
        });
    }

    private void proceed(RoutingContext ctx, String actor, boolean bearer) {
        HttpServerRequest request = ctx.request();
        boolean safe = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        if (!safe && !bearer) {
            String problem = csrfProblem(request);
            if (problem != null) {
                refuse(ctx, 403, problem);
                return;
            }
        }
        request.headers().set(ACTOR_HEADER, actor);
        ctx.next();
    }

    /** Why a state-changing request may come from another site's page, or null when it cannot. */
    private String csrfProblem(HttpServerRequest request) {
        String token = request.getHeader(CSRF_HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                access.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            return "missing or wrong " + CSRF_HEADER + " header (take csrfToken from GET /api/session)";
        }
        String origin = request.getHeader("Origin");
        String host = authority(request);
        if (origin != null && !"null".equals(origin) && (host == null
                || !origin.replaceFirst("^https?://", "").equalsIgnoreCase(host))) {
            return "the request comes from another site (Origin " + origin + ")";
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return "the request comes from another site (Sec-Fetch-Site " + site + ")";
        }
        return null;
    }

    /** Host and port the request was addressed to (the Host header, or HTTP/2's :authority), as an Origin has them. */
    private static String authority(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return null;
        }
        String host = authority.host().contains(":") && !authority.host().startsWith("[") ? "[" + authority.host()
                + "]" : authority.host();
        return authority.port() < 0 ? host : host + ":" + authority.port();
    }

    /** A Host header naming this machine's loopback (a literal address or "localhost"), never a resolved name. */
    static boolean addressedToLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (name.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!name.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: resolving it is exactly what a rebinding attack controls
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void challenge(RoutingContext ctx, String why) {
        ctx.response().putHeader("WWW-Authenticate", access.acceptsBasic()
                ? "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"" : "Bearer realm=\"" + REALM + "\"");
        refuse(ctx, 401, "authentication required: " + why);
    }

    private static void refuse(RoutingContext ctx, int status, String why) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end("{\"error\":" + Json.quote(why) + "}");
    }

    private static void securityHeaders(MultiMap headers, boolean observe) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        if (!observe) {
            headers.set("Content-Security-Policy", CSP);
            headers.set("X-Frame-Options", "DENY");
            headers.set("Cache-Control", "no-store");
        }
    }
}
