package io.github.rip.sftp;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.SftpException;

/**
 * What went wrong with an SFTP server, in words an operator can act on. JSch's own messages ("reject HostKey",
 * "Auth fail for methods ...", "Cannot connect to sftp://...") say neither what to check nor which file to fix.
 */
record SftpProblem(Kind kind, String message) {

    /** Kinds of problem; the ones that need a person are logged as errors, the others as warnings. */
    enum Kind {
        HOST_KEY_UNKNOWN(true), HOST_KEY_CHANGED(true), LOGIN_REFUSED(true), PRIVATE_KEY(true), UNREACHABLE(false),
        CONNECTION_LOST(false), NO_SUCH_FOLDER(true), PERMISSION_DENIED(true), OTHER(false);

        final boolean needsAPerson;

        Kind(boolean needsAPerson) {
            this.needsAPerson = needsAPerson;
        }

        boolean isHostKey() {
            return this == HOST_KEY_UNKNOWN || this == HOST_KEY_CHANGED;
        }
    }

    /**
     * The server as a job sees it: enough to name it and the files that configure trust in it. {@code who} starts
     * every message, e.g. "SFTP job 'partner-a'" or "Export job 'out', SFTP target".
     */
    record Server(String who, String host, int port, String username, String knownHostsFile, String folder) {

        /** How known_hosts names this server: {@code host} on port 22, else {@code [host]:port}. */
        String knownHostsEntry() {
            return port == 22 ? host : "[" + host + "]:" + port;
        }

        String knownHostsPath() {
            return knownHostsFile == null || knownHostsFile.isBlank() ? "(none configured)"
                    : Path.of(knownHostsFile).toAbsolutePath().normalize().toString();
        }

        String name() {
            return host + ":" + port;
        }
    }

    static SftpProblem of(Throwable error, Server server, HostKeyProbe.PresentedKey presented) {
        String prefix = server.who() + " (" + server.name() + "): ";
        String keyInfo = presented == null ? "" : " The server presents the " + presented.type() + " key "
                + presented.fingerprint() + ".";
        if (find(error, JSchUnknownHostKeyException.class) != null) {
            boolean missing = server.knownHostsFile() != null && !server.knownHostsFile().isBlank()
                    && !Files.exists(Path.of(server.knownHostsFile()));
            return new SftpProblem(Kind.HOST_KEY_UNKNOWN, prefix + "host key NOT TRUSTED, nothing is transferred. "
                    + "The known_hosts file " + server.knownHostsPath() + (missing ? " does not exist." : " has no key for "
                    + server.knownHostsEntry() + ".") + keyInfo + " If this is the right server, confirm the fingerprint "
                    + "with its owner, then add this line to " + server.knownHostsPath() + ": "
                    + (presented == null ? server.knownHostsEntry() + " <key type> <key>" : presented.knownHostsLine()));
        }
        if (find(error, JSchChangedHostKeyException.class) != null) {
            return new SftpProblem(Kind.HOST_KEY_CHANGED, prefix + "host key has CHANGED, nothing is transferred. "
                    + "The known_hosts file " + server.knownHostsPath() + " holds a different key for "
                    + server.knownHostsEntry() + "." + keyInfo + " This is what a man-in-the-middle attack looks like; "
                    + "it also happens when the server is reinstalled or its key replaced. Confirm the new fingerprint "
                    + "with the server's owner, then replace the line for " + server.knownHostsEntry() + " in "
                    + server.knownHostsPath() + (presented == null ? "." : " with: " + presented.knownHostsLine()));
        }
        JSchException jsch = find(error, JSchException.class);
        String jschText = jsch == null || jsch.getMessage() == null ? "" : jsch.getMessage();
        if (jschText.startsWith("Auth fail") || jschText.startsWith("Auth cancel")) {
            return new SftpProblem(Kind.LOGIN_REFUSED, prefix + "the server refused the login of user '"
                    + server.username() + "' (" + jschText + "). Check the job's privateKeyFile (its public key must be "
                    + "in the user's authorized_keys on the server) or its password secret.");
        }
        if (jschText.contains("privatekey") || find(error, FileNotFoundException.class) != null) {
            return new SftpProblem(Kind.PRIVATE_KEY, prefix + "the private key cannot be used (" + rootText(error)
                    + "). Check the job's privateKeyFile and privateKeyPassphrase.");
        }
        SftpException sftp = find(error, SftpException.class);
        if (sftp != null && sftp.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
            return new SftpProblem(Kind.NO_SUCH_FOLDER, prefix + "'" + server.folder() + "' or a file in it does not "
                    + "exist for user '" + server.username() + "' (" + rootText(error) + ").");
        }
        if (sftp != null && sftp.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
            return new SftpProblem(Kind.PERMISSION_DENIED, prefix + "permission denied for user '" + server.username()
                    + "' (" + rootText(error) + "). The user needs to list, read, rename and delete files in '"
                    + server.folder() + "' and to create its subfolders.");
        }
        if (find(error, ConnectException.class) != null || find(error, UnknownHostException.class) != null
                || find(error, NoRouteToHostException.class) != null || jschText.startsWith("timeout")
                || jschText.contains("socket is not established")) {
            return new SftpProblem(Kind.UNREACHABLE, prefix + "server unreachable (" + rootText(error) + ").");
        }
        if (isConnectionLoss(error, jschText)) {
            return new SftpProblem(Kind.CONNECTION_LOST, prefix + "connection lost (" + rootText(error) + ").");
        }
        return new SftpProblem(Kind.OTHER, prefix + rootText(error));
    }

    private static boolean isConnectionLoss(Throwable error, String jschText) {
        if (find(error, SocketException.class) != null || find(error, EOFException.class) != null
                || find(error, SocketTimeoutException.class) != null) {
            return true;
        }
        String all = chainText(error).toLowerCase(Locale.ROOT);
        return all.contains("session is down") || all.contains("closed by foreign host") || all.contains("pipe closed")
                || all.contains("inputstream is closed") || all.contains("channel is not opened")
                || all.contains("connection is closed") || jschText.contains("session is not connected");
    }

    /** The innermost message, which is where the real reason is (outer ones only say "Cannot connect to ..."). */
    static String rootText(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName()
                : root.getMessage();
        if (root instanceof SftpException sftp) {
            text = text + " [SFTP status " + sftp.id + "]";
        }
        return text;
    }

    private static String chainText(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append(' ');
        }
        return all.toString();
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
