package io.github.rip.support;

import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.util.URISupport;

/** The query options of a Camel endpoint URI a user wrote, read by Camel's own parser (RAW(...) values kept as they are). */
public final class UriOptions {

    private UriOptions() {
    }

    /** The options by lower-case name (Camel's option names are case-insensitive); values decoded, RAW kept. */
    public static Map<String, String> of(String uri) {
        int query = uri.indexOf('?');
        Map<String, String> options = new LinkedHashMap<>();
        if (query < 0) {
            return options;
        }
        try {
            URISupport.parseQuery(uri.substring(query + 1), true, true)
                    .forEach((name, value) -> options.putIfAbsent(name.toLowerCase(Locale.ROOT), String.valueOf(value)));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Cannot read the options of '" + URISupport.sanitizeUri(uri) + "': "
                    + e.getMessage(), e);
        }
        return options;
    }

    /** The URI with {@code name=value} appended, unless an option of that name (any case) is there already. */
    public static String withDefault(String uri, String name, String value) {
        if (of(uri).containsKey(name.toLowerCase(Locale.ROOT))) {
            return uri;
        }
        return uri + (uri.indexOf('?') >= 0 ? "&" : "?") + name + "=" + value;
    }
}
