package io.github.rip.sftp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code sftp:} URI an export job delivers to. Camel's sftp component accepts any host key unless told otherwise
 * ({@code strictHostKeyChecking} defaults to {@code no}); here host keys are checked by default against
 * {@code rip.sftp.known-hosts-file}, like SFTP inboxes, and switching that off is an explicit, logged choice.
 */
public final class SftpTarget {

    private static final Logger LOG = LoggerFactory.getLogger(SftpTarget.class);
    private static final Pattern SERVER = Pattern.compile("(?i)^sftp:(?://)?(?:([^@/?]+)@)?([^:/?]+)(?::(\\d+))?([^?]*)");

    private SftpTarget() {
    }

    /**
     * The URI with the pack's SFTP defaults where it does not say otherwise: host key checking on
     * ({@code strictHostKeyChecking=yes}, {@code useUserKnownHostsFile=false},
     * {@code knownHostsFile={{rip.sftp.known-hosts-file}}}) and the timeouts of the SFTP inboxes
     * ({@code rip.sftp.connect-timeout}, {@code rip.sftp.timeout}; Camel would wait 5 minutes for a silent server), one
     * connection attempt per delivery attempt.
     * Placeholders are resolved by Camel when the endpoint is created. Called once per job at startup.
     */
    public static String withDefaults(String uri, String job) {
        Map<String, String> options = options(uri);
        StringBuilder out = new StringBuilder(uri);
        if ("no".equalsIgnoreCase(options.get("stricthostkeychecking"))) {
            LOG.warn("Export job '{}': host key checking is OFF for its SFTP target (strictHostKeyChecking=no): any "
                    + "server answering there, or anyone in between, gets the login and the files.", job);
        } else {
            append(out, options, "strictHostKeyChecking", "yes");
            append(out, options, "useUserKnownHostsFile", "false");
            if (!options.containsKey("knownhostsfile") && !options.containsKey("knownhostsuri")
                    && !options.containsKey("knownhosts")) {
                append(out, options, "knownHostsFile", "{{rip.sftp.known-hosts-file}}");
            }
        }
        append(out, options, "connectTimeout", "{{rip.sftp.connect-timeout}}");
        append(out, options, "soTimeout", "{{rip.sftp.timeout}}");
        // one connection attempt per delivery attempt: the export's error handler already retries in place (Camel's
        // default of 3 attempts a second apart multiplied them)
        append(out, options, "maximumReconnectAttempts", "0");
        return out.toString();
    }

    /**
     * The clear words for a failed delivery to an SFTP target (host key, login, unreachable, permission...), or empty
     * when the failure has nothing to do with SFTP. {@code resolvedUri} is the target URI with placeholders resolved.
     */
    public static Optional<String> describe(Throwable error, String job, String resolvedUri) {
        if (!isSftp(error) || resolvedUri == null) {
            return Optional.empty();
        }
        Matcher m = SERVER.matcher(resolvedUri.trim());
        if (!m.find()) {
            return Optional.empty();
        }
        Map<String, String> options = options(resolvedUri);
        String folder = m.group(4) == null || m.group(4).isEmpty() ? "." : m.group(4).replaceFirst("^/", "");
        SftpProblem.Server server = new SftpProblem.Server("Export job '" + job + "', SFTP target", m.group(2),
                m.group(3) == null ? 22 : Integer.parseInt(m.group(3)), m.group(1), options.get("knownhostsfile"),
                folder);
        HostKeyProbe.PresentedKey presented = null;
        SftpProblem problem = SftpProblem.of(error, server, null);
        if (problem.kind().isHostKey()) {
            presented = HostKeyProbe.probe(server.host(), server.port(), 10_000).orElse(null);
            problem = SftpProblem.of(error, server, presented);
        }
        return Optional.of(problem.message());
    }

    private static boolean isSftp(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JSchException || t instanceof SftpException) {
                return true;
            }
        }
        return false;
    }

    private static void append(StringBuilder uri, Map<String, String> options, String name, String value) {
        if (!options.containsKey(name.toLowerCase(Locale.ROOT))) {
            uri.append(uri.indexOf("?") >= 0 ? "&" : "?").append(name).append('=').append(value);
        }
    }

    /** The query options by lower-case name (values URL-decoded; RAW(...) values kept as they are). */
    private static Map<String, String> options(String uri) {
        Map<String, String> options = new LinkedHashMap<>();
        int query = uri.indexOf('?');
        if (query < 0) {
            return options;
        }
        for (String pair : uri.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            options.putIfAbsent(name, decode(value));
        }
        return options;
    }

    private static String decode(String value) {
        if (value.startsWith("RAW(") || value.startsWith("RAW{")) {
            return value;
        }
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return value;
        }
    }
}
