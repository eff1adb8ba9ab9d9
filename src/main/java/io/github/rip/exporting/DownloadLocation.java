package io.github.rip.exporting;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Decides whether a DownloadLocation may be fetched with the bearer token, and turns it into a path on the configured
 * D365 base URL. Only the D365 host qualifies; {@code http://<host>} on port 80 (what D365 returns behind its load
 * balancer, docs/d365-api.md §1.2) is rewritten to the base URL. The download request is then built from the base URL,
 * so the token cannot reach any other host, whatever D365 answered.
 *
 * @param original  the location as D365 sent it
 * @param path      the path relative to the base URL, still URL-encoded, without a leading '/'
 * @param query     the raw query, null when none
 * @param rewritten true when an {@code http://…:80} location was rewritten to the base URL
 */
public record DownloadLocation(String original, String path, String query, boolean rewritten) {

    /** Resolves a location against the base URL, or refuses it with a reason a user can act on. */
    public static DownloadLocation resolve(String location, String baseUrl) {
        return resolve(location, baseUrl, "d365.base-url");
    }

    /**
     * As {@link #resolve(String, String)} for the base URL of one D365 environment, named by its setting in messages
     * ({@code d365.environments.test.base-url}): a location is only ever fetched from the environment that handed it out.
     */
    public static DownloadLocation resolve(String location, String baseUrl, String setting) {
        URI base = URI.create(baseUrl.trim());
        URI url;
        try {
            url = new URI(location.trim());
        } catch (URISyntaxException e) {
            throw new ExportRejectedException("The DownloadLocation '" + location + "' is not a valid URL: "
                    + e.getMessage());
        }
        String scheme = lower(url.getScheme());
        if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null) {
            throw refused(setting, location, "it is not an http(s) URL with a host", base);
        }
        if (url.getRawUserInfo() != null) {
            throw refused(setting, location, "it carries user information", base);
        }
        if (!url.getHost().equalsIgnoreCase(base.getHost())) {
            throw refused(setting, location, "its host '" + url.getHost() + "' is not the D365 host '"
                    + base.getHost() + "'", base);
        }
        boolean sameOrigin = scheme.equals(lower(base.getScheme())) && port(url) == port(base);
        boolean behindLoadBalancer = "http".equals(scheme) && port(url) == 80;
        if (!sameOrigin && !behindLoadBalancer) {
            throw refused(setting, location, "its scheme and port (" + scheme + ":" + port(url) + ") are not those "
                    + "of the D365 base URL (" + base.getScheme() + ":" + port(base) + ")", base);
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (!basePath.isEmpty() && !(path.equals(basePath) || path.startsWith(basePath + "/"))) {
            throw refused(setting, location, "its path is outside the D365 base URL's path '" + basePath + "'", base);
        }
        String relative = path.substring(basePath.length()).replaceFirst("^/+", "");
        return new DownloadLocation(location, relative, url.getRawQuery(), !sameOrigin);
    }

    private static ExportRejectedException refused(String setting, String location, String reason, URI base) {
        return new ExportRejectedException("The DownloadLocation " + location + " was refused: " + reason + ".\n"
                + "The package was not downloaded and the bearer token was not sent: the token only ever goes to the "
                + "configured D365 environment (" + setting + " = " + base + ").\n"
                + "If D365 really answers with this host, " + setting + " is probably not the environment's own URL "
                + "(for example https://<env>.operations.dynamics.com); correct it and the message is downloaded when "
                + "D365 offers it again.");
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
