package io.github.rip.connector;

import io.github.rip.auth.AuthStatus;
import io.github.rip.auth.D365TokenProvider;

/**
 * One D365 environment the runner talks to: its base URL, its own token provider (credentials, authority, token
 * cache), its own authentication status and its own TLS trust. A token is only ever sent with a request to the base
 * URL of the environment that obtained it: {@link D365Client} takes both from the same environment.
 *
 * @param name     "" for the default environment (the {@code d365.*} settings), else the name jobs give in their
 *                 {@code environment} parameter ({@code d365.environments.<name>.*})
 * @param baseUrl  e.g. https://contoso.operations.dynamics.com; also the resource tokens are requested for
 * @param tokens   the environment's bearer tokens
 * @param auth     whether the environment's token endpoint and D365 accept the runner's identity
 * @param tlsBean  the registry name of the environment's SSLContextParameters (camel-http, per endpoint)
 */
public record D365Environment(String name, String baseUrl, D365TokenProvider tokens, AuthStatus auth,
                              String tlsBean) {

    /** The name of the default environment. */
    public static final String DEFAULT = "";

    public boolean isDefault() {
        return DEFAULT.equals(name);
    }

    /** "the default environment" or "environment 'prod'", for messages. */
    public String label() {
        return label(name);
    }

    /** The setting of this environment for a key: d365.base-url, or d365.environments.prod.base-url. */
    public String setting(String key) {
        return setting(name, key);
    }

    public static String label(String name) {
        return name == null || name.isBlank() ? "the default environment" : "environment '" + name + "'";
    }

    public static String setting(String name, String key) {
        return name == null || name.isBlank() ? "d365." + key : "d365.environments." + name + "." + key;
    }
}
