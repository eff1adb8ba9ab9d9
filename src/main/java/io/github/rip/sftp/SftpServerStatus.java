package io.github.rip.sftp;

import org.apache.camel.component.file.remote.SftpConfiguration;

/**
 * An SFTP import job's failed poll in the words its log uses (host key, login, unreachable, missing folder ...), for the
 * operations dashboard and the SFTP health checks, which see the failure only as the consumer's last error.
 */
public final class SftpServerStatus {

    private SftpServerStatus() {
    }

    /** "host:port" of the server an SFTP endpoint talks to. */
    public static String server(SftpConfiguration configuration) {
        return configuration.getHost() + ":" + configuration.getPort();
    }

    public static String describe(Throwable error, String job, SftpConfiguration configuration) {
        SftpProblem.Server server = new SftpProblem.Server("SFTP job '" + job + "'", configuration.getHost(),
                configuration.getPort(), configuration.getUsername(), configuration.getKnownHostsFile(),
                configuration.getDirectoryName());
        return SftpProblem.of(error, server, null).message();
    }
}
