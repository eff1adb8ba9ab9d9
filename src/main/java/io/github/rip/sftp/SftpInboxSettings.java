package io.github.rip.sftp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import io.github.rip.support.JobParameters;
import io.github.rip.support.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.component.file.remote.SftpConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an SFTP inbox is told by the d365-sftp-import template's parameters (its {@code settings:} block), checked when
 * the job starts; the password and key passphrase are read from their named secrets then and handed to the endpoint
 * before the first login. An {@link SftpInbox} holds one.
 */
public class SftpInboxSettings {

    private static final Logger LOG = LoggerFactory.getLogger(SftpInboxSettings.class);

    private String jobName;
    private String host;
    private int port = 22;
    private String username;
    private String remoteFolder;
    private String passwordSecret = "";
    private String privateKeyPassphraseSecret = "";
    private String password;
    private String privateKeyPassphrase;
    private String knownHostsFile;
    private String strictHostKeyChecking = "yes";
    private String afterImport = "move";
    private String remoteSentFolder = "sent";
    private String remoteFailedFolder = "failed";
    private String doneFileSuffix = "";
    private Duration readLockMinAge = Duration.ofSeconds(10);
    private Duration problemReminder = Duration.ofMinutes(10);

    /** At the job's start: checks what can only be checked as a whole, and reads the named secrets. */
    void check(CamelContext context) {
        if (!"move".equalsIgnoreCase(afterImport) && !"delete".equalsIgnoreCase(afterImport)) {
            throw new IllegalArgumentException("SFTP job '" + jobName + "': afterImport must be move or delete, not '"
                    + afterImport + "'");
        }
        Settings settings = new Settings(context);
        password = readSecret(settings, passwordSecret, "passwordSecret");
        privateKeyPassphrase = readSecret(settings, privateKeyPassphraseSecret, "privateKeyPassphraseSecret");
        SftpProblem.Server server = server();
        if ("no".equalsIgnoreCase(strictHostKeyChecking)) {
            LOG.warn("SFTP job '{}' ({}): host key checking is OFF (strictHostKeyChecking=no): any server answering "
                    + "there, or anyone in between, gets the login and the files. Use a known_hosts file instead.",
                    jobName, server.name());
        } else if (knownHostsFile == null || knownHostsFile.isBlank() || !Files.exists(Path.of(knownHostsFile))) {
            LOG.error("SFTP job '{}' ({}): the known_hosts file {} does not exist, so the server cannot be trusted and "
                    + "the job cannot connect. Add the server's host key line to it (ask the server's owner for the "
                    + "fingerprint).", jobName, server.name(), server.knownHostsPath());
        }
    }

    /** Before the first login; the secrets never pass through an endpoint URI. */
    void applySecrets(SftpConfiguration configuration) {
        if (password != null) {
            configuration.setPassword(password);
        }
        if (privateKeyPassphrase != null) {
            configuration.setPrivateKeyPassphrase(privateKeyPassphrase);
        }
    }

    /** A secret by name (env NAME_IN_CAPS, file named by NAME_IN_CAPS_FILE, or property); null when no name is given. */
    private String readSecret(Settings settings, String name, String parameter) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String value = settings.secret(name.trim());
        if (value == null) {
            String variable = name.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            LOG.error("SFTP job '{}': the secret '{}' ({}) is not set; give it as environment variable {} or in a "
                    + "file named by {}_FILE. The login will fail until then.", jobName, name, parameter, variable,
                    variable);
        }
        return value;
    }

    SftpProblem.Server server() {
        return new SftpProblem.Server("SFTP job '" + jobName + "'", host, port, username, knownHostsFile, remoteFolder);
    }

    String jobName() {
        return jobName;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean deletesAfterImport() {
        return "delete".equalsIgnoreCase(afterImport);
    }

    String remoteSentFolder() {
        return remoteSentFolder;
    }

    String remoteFailedFolder() {
        return remoteFailedFolder;
    }

    String doneFileSuffix() {
        return doneFileSuffix;
    }

    Duration readLockMinAge() {
        return readLockMinAge;
    }

    Duration problemReminder() {
        return problemReminder;
    }

    // --- set from the route template's parameters ---

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setRemoteFolder(String remoteFolder) {
        this.remoteFolder = remoteFolder;
    }

    public void setPasswordSecret(String passwordSecret) {
        this.passwordSecret = passwordSecret;
    }

    public void setPrivateKeyPassphraseSecret(String privateKeyPassphraseSecret) {
        this.privateKeyPassphraseSecret = privateKeyPassphraseSecret;
    }

    public void setKnownHostsFile(String knownHostsFile) {
        this.knownHostsFile = knownHostsFile;
    }

    /** yes or no. */
    public void setStrictHostKeyChecking(String strictHostKeyChecking) {
        this.strictHostKeyChecking = JobParameters.choice(jobName, JobParameters.STRICT_HOST_KEY_CHECKING,
                strictHostKeyChecking);
    }

    /** move or delete. */
    public void setAfterImport(String afterImport) {
        this.afterImport = JobParameters.choice(jobName, JobParameters.AFTER_IMPORT, afterImport);
    }

    public void setRemoteSentFolder(String remoteSentFolder) {
        this.remoteSentFolder = stripTrailingSlash(remoteSentFolder);
    }

    public void setRemoteFailedFolder(String remoteFailedFolder) {
        this.remoteFailedFolder = stripTrailingSlash(remoteFailedFolder);
    }

    public void setDoneFileSuffix(String doneFileSuffix) {
        this.doneFileSuffix = doneFileSuffix == null ? "" : doneFileSuffix.trim();
    }

    /** 10s, 500ms, or plain milliseconds ({@link io.github.rip.support.Durations}). */
    public void setReadLockMinAge(String readLockMinAge) {
        this.readLockMinAge = JobParameters.duration(jobName, "readLockMinAge", readLockMinAge);
    }

    public void setProblemReminder(String problemReminder) {
        this.problemReminder = JobParameters.duration(jobName, "problemReminder", problemReminder);
    }

    private static String stripTrailingSlash(String folder) {
        String f = folder.trim();
        return f.length() > 1 && f.endsWith("/") ? f.substring(0, f.length() - 1) : f;
    }
}
