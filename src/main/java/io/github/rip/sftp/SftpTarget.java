package io.github.rip.sftp;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpException;
import io.github.rip.support.UriOptions;
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
        Map<String, String> options = UriOptions.of(uri);
        String out = uri;
        if ("no".equalsIgnoreCase(options.get("stricthostkeychecking"))) {
            LOG.warn("Export job '{}': host key checking is OFF for its SFTP target (strictHostKeyChecking=no): any "
                    + "server answering there, or anyone in between, gets the login and the files.", job);
        } else {
            out = UriOptions.withDefault(out, "strictHostKeyChecking", "yes");
            out = UriOptions.withDefault(out, "useUserKnownHostsFile", "false");
            if (!options.containsKey("knownhostsfile") && !options.containsKey("knownhostsuri")
                    && !options.containsKey("knownhosts")) {
                out = UriOptions.withDefault(out, "knownHostsFile", "{{rip.sftp.known-hosts-file}}");
            }
        }
        out = UriOptions.withDefault(out, "connectTimeout", "{{rip.sftp.connect-timeout}}");
        out = UriOptions.withDefault(out, "soTimeout", "{{rip.sftp.timeout}}");
        // one connection attempt per delivery attempt: the export's error handler already retries in place (Camel's
        // default of 3 attempts a second apart multiplied them)
        return UriOptions.withDefault(out, "maximumReconnectAttempts", "0");
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
        Map<String, String> options = UriOptions.of(resolvedUri);
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
}
