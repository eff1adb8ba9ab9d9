package io.github.rip.connector;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A blob URL the package API handed out (GetAzureWriteUrl, GetExportedPackageUrl): a SAS URL on a storage host. Its
 * {@code sig=} query part is a credential, so it is only ever shown {@link #masked}, and the URL is only used over
 * https without user information. The bearer token never goes with it ({@link D365Client}): the SAS authorises the
 * request, whatever host it names (with the emulator the blob endpoint shares D365's host on purpose, so a rule by
 * host would not be enough).
 */
public final class BlobUrl {

    private BlobUrl() {
    }

    /**
     * The URL (or any text quoting one, such as an error body) with the value of every {@code sig} parameter replaced
     * by {@code ***}, for logs, journal and reports.
     */
    public static String masked(String url) {
        return url == null ? null : url.replaceAll("(?i)([?&]sig=)[^&#\"'\\\\\\s<>]*", "$1***");
    }

    /** Checks a blob URL D365 answered; refuses (D365RefusedException) anything but https with a host. */
    public static String checked(String url, String action) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw new D365RefusedException(action + " answered a blob URL that is not a URL: " + masked(url), 200,
                    null);
        }
        if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new D365RefusedException(action + " answered the blob URL " + masked(url) + ", which is not an "
                    + "https URL with a host; its signature would travel unprotected, so it is not used.", 200, null);
        }
        return uri.toString();
    }

    /** The URL without its query (scheme, host, port, path). */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** The URL's raw query, or null. */
    static String query(String url) {
        int q = url.indexOf('?');
        return q < 0 || q == url.length() - 1 ? null : url.substring(q + 1);
    }
}
