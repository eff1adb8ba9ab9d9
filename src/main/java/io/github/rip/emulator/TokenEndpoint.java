package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Entra ID side: the v2 ({@code /{tenant}/oauth2/v2.0/token}, scope {@code <resource>/.default}) and v1
 * ({@code /{tenant}/oauth2/token}, {@code resource}) token endpoints for the client-credentials grant, plus the
 * documents an OIDC/MSAL client may fetch first: openid-configuration, the signing keys and AAD instance discovery.
 */
final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final int MAX_FORM_BYTES = 256 * 1024;
    /** Scopes MSAL adds to every request; Entra ignores them for client credentials. */
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");

    private final ClientAuthenticator authenticator;
    private final AccessTokens tokens;
    private final RSAKey signingKey;
    private final String tenant;
    private final String baseUrl;

    TokenEndpoint(ClientAuthenticator authenticator, AccessTokens tokens, RSAKey signingKey, String tenant,
                  String baseUrl) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.signingKey = signingKey;
        this.tenant = tenant;
        this.baseUrl = baseUrl;
    }

    void register(HttpRouter router) {
        router.route("GET", "/common/discovery/instance", "instance-discovery", this::instanceDiscovery)
                .route("POST", "/{tenant}/oauth2/v2.0/token", "token", call -> token(call, true))
                .route("POST", "/{tenant}/oauth2/token", "token-v1", call -> token(call, false))
                .route("GET", "/{tenant}/v2.0/.well-known/openid-configuration", "openid-configuration",
                        this::openIdConfiguration)
                .route("GET", "/{tenant}/.well-known/openid-configuration", "openid-configuration-v1",
                        this::openIdConfiguration)
                .route("GET", "/{tenant}/discovery/v2.0/keys", "keys", this::keys)
                .route("GET", "/{tenant}/discovery/keys", "keys-v1", this::keys);
    }

    private void token(HttpCall call, boolean v2) throws IOException {
        Map<String, String> form = readForm(call.body());
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw EntraError.invalidRequest(900144, "The request body must contain the following parameter: 'grant_type'.");
        }
        if (!grantType.equals("client_credentials")) {
            throw EntraError.unsupportedGrantType(grantType);
        }
        String resource = v2 ? resourceFromScope(form.get("scope")) : resourceParameter(form.get("resource"));
        ClientAuthenticator.Authenticated client = authenticator.authenticate(form, tokenEndpointUrls(call));
        String accessToken = tokens.issue(client.app().appId(), resource, client.certificate());
        long seconds = tokens.lifetime().toSeconds();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("token_type", "Bearer");
        if (v2) {
            body.put("expires_in", seconds);
            body.put("ext_expires_in", seconds);
        } else {
            // v1 sends its numbers as strings
            long now = System.currentTimeMillis() / 1000;
            body.put("expires_in", String.valueOf(seconds));
            body.put("ext_expires_in", String.valueOf(seconds));
            body.put("expires_on", String.valueOf(now + seconds));
            body.put("not_before", String.valueOf(now));
            body.put("resource", resource);
        }
        body.put("access_token", accessToken);
        LOG.info("Issued an access token to app {} for {} ({} credential)", client.app().appId(), resource,
                client.certificate() ? "certificate" : "secret");
        call.sendJson(200, body.toString());
    }

    /** {@code https://env/.default} → {@code https://env}; anything but one {@code /.default} scope is refused. */
    private static String resourceFromScope(String scope) {
        if (scope == null || scope.isBlank()) {
            throw EntraError.invalidRequest(900144, "The request body must contain the following parameter: 'scope'.");
        }
        List<String> scopes = new ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (!OIDC_SCOPES.contains(s)) {
                scopes.add(s);
            }
        }
        if (scopes.size() != 1) {
            throw EntraError.invalidScope(70011, "The provided request must include a 'scope' input parameter. The"
                    + " provided value for the input parameter 'scope' is not valid. The scope " + scope
                    + " is not valid.");
        }
        String only = scopes.get(0);
        if (!only.endsWith("/.default") || only.length() == "/.default".length()) {
            throw EntraError.invalidScope(1002012, "The provided value for scope " + only + " is not valid. Client"
                    + " credential flows must have a scope value with /.default suffixed to the resource identifier"
                    + " (application ID URI).");
        }
        return only.substring(0, only.length() - "/.default".length());
    }

    private static String resourceParameter(String resource) {
        if (resource == null || resource.isBlank()) {
            throw EntraError.invalidRequest(900144, "The request body must contain the following parameter: 'resource'.");
        }
        return resource.trim();
    }

    /** The URLs a client assertion may name as audience: this endpoint as reached, and as the emulator names it. */
    private Set<String> tokenEndpointUrls(HttpCall call) {
        Set<String> urls = new LinkedHashSet<>();
        String tenantSegment = call.pathParam("tenant");
        for (String base : List.of(reachedBase(call), baseUrl)) {
            for (String t : List.of(tenantSegment, tenant)) {
                urls.add(base + "/" + t + "/oauth2/v2.0/token");
                urls.add(base + "/" + t + "/oauth2/token");
            }
        }
        return urls;
    }

    private String reachedBase(HttpCall call) {
        return call.header("Host").map(h -> "https://" + h).orElse(baseUrl);
    }

    private void openIdConfiguration(HttpCall call) throws IOException {
        String base = reachedBase(call) + "/" + call.pathParam("tenant");
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("token_endpoint", base + "/oauth2/v2.0/token");
        ArrayNode authMethods = doc.putArray("token_endpoint_auth_methods_supported");
        authMethods.add("client_secret_post").add("private_key_jwt");
        doc.put("jwks_uri", base + "/discovery/v2.0/keys");
        doc.putArray("response_types_supported").add("token");
        doc.putArray("subject_types_supported").add("pairwise");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("grant_types_supported").add("client_credentials");
        doc.put("issuer", issuer(reachedBase(call)));
        doc.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        call.sendJson(200, doc.toString());
    }

    private void keys(HttpCall call) throws IOException {
        call.sendJson(200, new JWKSet(signingKey.toPublicJWK()).toString());
    }

    /** What {@code https://login.microsoftonline.com/common/discovery/instance} answers, pointing at ourselves. */
    private void instanceDiscovery(HttpCall call) throws IOException {
        String host = reachedBase(call).substring("https://".length());
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("tenant_discovery_endpoint", reachedBase(call) + "/" + tenant
                + "/v2.0/.well-known/openid-configuration");
        doc.put("api-version", "1.1");
        ObjectNode entry = doc.putArray("metadata").addObject();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", host);
        entry.putArray("aliases").add(host);
        call.sendJson(200, doc.toString());
    }

    /** The issuer the emulator puts in tokens. */
    String issuer(String base) {
        return base + "/" + tenant + "/v2.0";
    }

    private static Map<String, String> readForm(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_FORM_BYTES + 1);
        if (bytes.length > MAX_FORM_BYTES) {
            throw EntraError.invalidRequest(90014, "The request body is too large.");
        }
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(bytes, StandardCharsets.US_ASCII).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw EntraError.invalidRequest(90014, "The request body is not valid form data.");
            }
        }
        return form;
    }
}
